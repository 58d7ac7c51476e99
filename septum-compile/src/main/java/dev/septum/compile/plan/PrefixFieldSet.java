package dev.septum.compile.plan;

import dev.septum.model.IpFamily;
import inet.ipaddr.IPAddress;
import java.util.List;

/** A named set of prefixes of one address family, shared by every match that names it. */
public record PrefixFieldSet(String name, IpFamily family, String group, List<IPAddress> prefixes) {
    public PrefixFieldSet {
        prefixes = List.copyOf(prefixes);
    }
}
