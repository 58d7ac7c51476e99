package dev.septum.model;

import inet.ipaddr.IPAddress;
import java.util.List;

/** Where the redirect action sends traffic: the next hops of an external firewall. */
public record RedirectObject(String name, List<IPAddress> nextHops, SourceLocation at) implements PolicyObject {
    public RedirectObject {
        nextHops = List.copyOf(nextHops);
    }
}
