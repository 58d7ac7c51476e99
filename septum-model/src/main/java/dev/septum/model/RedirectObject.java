package dev.septum.model;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Optional;

/**
 * Where the redirect action sends traffic: the next hops of an external firewall. A Linux router
 * redirects by policy routing out of {@code routerPort}, the interface that leads to the next hops;
 * it also needs the port to recognise the traffic the firewall sends back, which must not be
 * redirected again. EOS switches ignore it.
 */
public record RedirectObject(String name, List<IPAddress> nextHops, Optional<String> routerPort, SourceLocation at)
        implements PolicyObject {
    public RedirectObject {
        nextHops = List.copyOf(nextHops);
    }
}
