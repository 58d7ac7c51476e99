package dev.septum.compile.nftables;

import dev.septum.model.IcmpMatch;
import dev.septum.model.IcmpTypes;
import dev.septum.model.PortItem;
import dev.septum.model.PortSpec;
import dev.septum.model.Protocol;
import dev.septum.model.ServiceEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Set elements of a service. Entries with ports become {@code proto . sport . dport} intervals
 * (matched with {@code meta l4proto . th sport . th dport}); entries without ports become bare
 * protocols, because {@code th} on an ICMP packet would read its type and code as "ports"; entries
 * with an ICMP type become one rule condition each ({@code icmp type echo-request},
 * {@code icmpv6 type nd-neighbor-solicit}, {@code icmp type destination-unreachable icmp code 4}),
 * for which nft adds the protocol check itself.
 */
final class ServiceElements {
    private ServiceElements() {
    }

    /**
     * The entries' port boxes as set elements. nft refuses overlapping elements of a concatenated
     * interval set ("File exists"; auto-merge does not apply to concatenations), so a service whose
     * entries overlap (tcp any and tcp 80-90) is cut into disjoint boxes covering the same packets.
     */
    static List<String> portElements(List<ServiceEntry> entries) {
        List<PortBox> boxes = new ArrayList<>();
        for (ServiceEntry e : entries) {
            if (!e.protocol().hasPorts()) {
                continue;
            }
            for (int[] source : ranges(e.sourcePorts())) {
                for (int[] destination : ranges(e.destinationPorts())) {
                    boxes.add(new PortBox(protocol(e.protocol()), source[0], source[1], destination[0], destination[1]));
                }
            }
        }
        List<PortBox> distinct = boxes.stream().distinct().toList();
        List<PortBox> elements = PortBox.anyMeet(distinct) ? PortBox.disjoint(distinct) : distinct;
        return elements.stream().map(PortBox::element).toList();
    }

    static List<String> protocolElements(List<ServiceEntry> entries) {
        return entries.stream().filter(e -> !e.protocol().hasPorts() && e.icmp().isEmpty()).map(e -> protocol(e.protocol()))
                .distinct().toList();
    }

    /** One condition per ICMP-typed entry, each ending in a space as the renderer's conditions do. */
    static List<String> icmpConditions(List<ServiceEntry> entries) {
        return entries.stream().filter(e -> e.icmp().isPresent()).map(e -> {
            IcmpMatch icmp = e.icmp().get();
            String header = e.protocol().equals(Protocol.ICMPV6) ? "icmpv6" : "icmp";
            String type = IcmpTypes.typeName(e.protocol(), icmp.type()).orElse(Integer.toString(icmp.type()));
            return header + " type " + type + " "
                    + (icmp.code().isPresent() ? header + " code " + icmp.code().getAsInt() + " " : "");
        }).distinct().toList();
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

    /** Port ranges as numbers: nft's service names (such as {@code www}) depend on /etc/services. */
    private static List<int[]> ranges(PortSpec spec) {
        if (spec.isAll()) {
            return List.of(new int[] {0, 65535});
        }
        return spec.items().stream().map((PortItem item) -> new int[] {item.low(), item.high()}).toList();
    }
}
