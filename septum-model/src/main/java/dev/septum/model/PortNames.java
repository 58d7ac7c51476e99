package dev.septum.model;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Port names EOS accepts in traffic-policy port lists (the same keywords as its ACLs), so a service
 * written as {@code destination: domain} renders exactly as MSS renders it.
 */
public final class PortNames {
    private static final Map<String, Integer> PORTS = new TreeMap<>(Map.ofEntries(
            Map.entry("bgp", 179), Map.entry("bootpc", 68), Map.entry("bootps", 67),
            Map.entry("chargen", 19), Map.entry("daytime", 13), Map.entry("discard", 9),
            Map.entry("domain", 53), Map.entry("echo", 7), Map.entry("finger", 79),
            Map.entry("ftp", 21), Map.entry("ftp-data", 20), Map.entry("gopher", 70),
            Map.entry("https", 443), Map.entry("ident", 113), Map.entry("imap", 143),
            Map.entry("isakmp", 500), Map.entry("kerberos", 88), Map.entry("ldap", 389),
            Map.entry("ldaps", 636), Map.entry("lpd", 515), Map.entry("nfs", 2049),
            Map.entry("nntp", 119), Map.entry("ntp", 123), Map.entry("pop3", 110),
            Map.entry("radius", 1812), Map.entry("radius-acct", 1813), Map.entry("rip", 520),
            Map.entry("smtp", 25), Map.entry("snmp", 161), Map.entry("snmptrap", 162),
            Map.entry("ssh", 22), Map.entry("sunrpc", 111), Map.entry("syslog", 514),
            Map.entry("tacacs", 49), Map.entry("telnet", 23), Map.entry("tftp", 69),
            Map.entry("time", 37), Map.entry("www", 80)));

    private PortNames() {
    }

    public static Optional<Integer> port(String name) {
        return Optional.ofNullable(PORTS.get(name));
    }

    public static java.util.Set<String> names() {
        return PORTS.keySet();
    }
}
