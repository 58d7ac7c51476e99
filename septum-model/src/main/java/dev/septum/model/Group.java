package dev.septum.model;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Map;

/**
 * A named set of endpoints: IPv4/IPv6 prefixes and hosts (hosts are stored as /32 or /128).
 * Categories are key=value labels the Policy Builder aggregates by.
 */
public record Group(String name, List<IPAddress> members, Map<String, String> categories, SourceLocation at) {
    public Group {
        members = List.copyOf(members);
        categories = Map.copyOf(categories);
    }

    public boolean hasFamily(IpFamily family) {
        return members.stream().anyMatch(family::contains);
    }

    public List<IPAddress> members(IpFamily family) {
        return members.stream().filter(family::contains).toList();
    }
}
