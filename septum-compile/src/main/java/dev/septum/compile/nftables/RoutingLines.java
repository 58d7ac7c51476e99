package dev.septum.compile.nftables;

import java.util.List;

/**
 * The lines of a routing section ({@link NftNames#ROUTING_SECTION}) as {@code ip -batch} reads
 * them. The renderer writes them from the plan and the nftables driver from the kernel's rules (what
 * a rollback re-applies), so both go through here and a restored section reads as a rendered one.
 */
public final class RoutingLines {
    /** One next hop of a default route: its address and the router port toward it. */
    public record Hop(String gateway, String dev) {
    }

    private RoutingLines() {
    }

    /** Packets whose mark matches {@code fwmark} ({@code mark/mask}) look up routing table {@code table}. */
    public static String tableRule(int priority, String fwmark, String table) {
        return "rule add pref " + priority + " fwmark " + fwmark + " table " + table;
    }

    /** Packets whose mark matches {@code fwmark} are refused. */
    public static String unreachableRule(int priority, String fwmark) {
        return "rule add pref " + priority + " fwmark " + fwmark + " unreachable";
    }

    /** The default route of {@code table} through {@code hops} (several: a multipath route). */
    public static String defaultRoute(String table, List<Hop> hops) {
        StringBuilder route = new StringBuilder("route replace default table " + table);
        hops.forEach(h -> route.append(" nexthop via ").append(h.gateway()).append(" dev ").append(h.dev()));
        return route.toString();
    }

    /** An unreachable default of {@code metric} in {@code table}: when the next hops' route is gone, refused. */
    public static String unreachableDefault(long metric, String table) {
        return "route replace unreachable default metric " + metric + " table " + table;
    }
}
