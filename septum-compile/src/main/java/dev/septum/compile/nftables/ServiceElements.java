package dev.septum.compile.nftables;

import dev.septum.model.PortItem;
import dev.septum.model.PortSpec;
import dev.septum.model.Protocol;
import dev.septum.model.ServiceEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Set elements of a service. Entries with ports become {@code proto . sport . dport} intervals
 * (matched with {@code meta l4proto . th sport . th dport}); entries without ports become bare
 * protocols, because {@code th} on an ICMP packet would read its type and code as "ports".
 */
final class ServiceElements {
    private ServiceElements() {
    }

    static List<String> portElements(List<ServiceEntry> entries) {
        List<String> elements = new ArrayList<>();
        for (ServiceEntry e : entries) {
            if (!e.protocol().hasPorts()) {
                continue;
            }
            for (String source : ports(e.sourcePorts())) {
                for (String destination : ports(e.destinationPorts())) {
                    elements.add(protocol(e.protocol()) + " . " + source + " . " + destination);
                }
            }
        }
        return elements.stream().distinct().toList();
    }

    static List<String> protocolElements(List<ServiceEntry> entries) {
        return entries.stream().filter(e -> !e.protocol().hasPorts()).map(e -> protocol(e.protocol()))
                .distinct().toList();
    }

    /** nft knows these names without /etc/protocols (checked with it hidden); others render as numbers. */
    static String protocol(Protocol p) {
        return switch (p.number()) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 132 -> "sctp";
            default -> Integer.toString(p.number());
        };
    }

    /** Names such as {@code www} become numbers: nft's service names depend on /etc/services. */
    private static List<String> ports(PortSpec spec) {
        if (spec.isAll()) {
            return List.of("0-65535");
        }
        return spec.items().stream().map(ServiceElements::port).toList();
    }

    private static String port(PortItem item) {
        return item.low() == item.high() ? Integer.toString(item.low()) : item.low() + "-" + item.high();
    }
}
