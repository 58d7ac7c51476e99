package dev.septum.builder.recommend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Fewer rules for the same allowed set: the chosen rules of one client set and one server set
 * become one rule with a port list; then rules of the same servers and ports take their clients
 * together, and rules of the same clients and ports their servers. Common services (DNS, NTP,
 * monitoring: a server port most client cells use) stay one rule each, never folded into another
 * rule's port list. Union of products over a shared side, so the allowed set does not change.
 */
final class Compaction {
    /** The infrastructure ports taken as common services wherever they are seen. */
    private static final Set<Integer> INFRASTRUCTURE = Set.of(53, 67, 68, 88, 123, 161, 162, 389, 514, 636, 9100);
    /** A port used by at least this share of the client cells (and by 3 or more) is a common service. */
    static final double COMMON_SHARE = 0.5;

    /** One protocol and port range of a rule ({@link Edge#NO_PORT} for protocols without ports). */
    record Item(int protocol, int low, int high) implements Comparable<Item> {
        @Override
        public int compareTo(Item o) {
            return protocol != o.protocol ? Integer.compare(protocol, o.protocol)
                    : low != o.low ? Integer.compare(low, o.low) : Integer.compare(high, o.high);
        }
    }

    /** A compacted rule: its sides, its items, and the chosen rules it is made of. */
    record Draft(List<Estate.Descriptor> sources, List<Estate.Descriptor> destinations, List<Item> items, boolean common,
                 List<BoundedCover.Candidate> parts) {
        String sideKey(List<Estate.Descriptor> side) {
            return String.join(";", side.stream().map(Estate.Descriptor::key).sorted().toList());
        }
    }

    private Compaction() {
    }

    static List<Draft> compact(List<BoundedCover.Candidate> chosen, Set<Item> common) {
        Map<String, Draft> byPair = new LinkedHashMap<>();
        List<Draft> drafts = new ArrayList<>();
        for (BoundedCover.Candidate c : chosen) {
            Item item = new Item(c.protocol(), c.low(), c.high());
            if (common.contains(item)) {
                drafts.add(new Draft(List.of(c.clients()), List.of(c.servers()), List.of(item), true, List.of(c)));
                continue;
            }
            String key = c.clients().key() + "|" + c.servers().key();
            Draft d = byPair.get(key);
            Set<Item> items = new TreeSet<>(d == null ? List.of() : d.items());
            items.add(item);
            List<BoundedCover.Candidate> parts = new ArrayList<>(d == null ? List.of() : d.parts());
            parts.add(c);
            byPair.put(key, new Draft(List.of(c.clients()), List.of(c.servers()), List.copyOf(items), false, parts));
        }
        drafts.addAll(byPair.values());
        drafts = merge(drafts, d -> d.sideKey(d.destinations()) + "|" + d.items() + "|" + d.common(), true);
        return merge(drafts, d -> d.sideKey(d.sources()) + "|" + d.items() + "|" + d.common(), false);
    }

    /** Drafts with the same key become one, uniting their sources (or destinations). */
    private static List<Draft> merge(List<Draft> drafts, Function<Draft, String> key, boolean sources) {
        Map<String, Draft> merged = new LinkedHashMap<>();
        for (Draft d : drafts) {
            merged.merge(key.apply(d), d, (a, b) -> {
                List<BoundedCover.Candidate> parts = new ArrayList<>(a.parts());
                parts.addAll(b.parts());
                return sources
                        ? new Draft(union(a.sources(), b.sources()), a.destinations(), a.items(), a.common(), parts)
                        : new Draft(a.sources(), union(a.destinations(), b.destinations()), a.items(), a.common(), parts);
            });
        }
        return List.copyOf(merged.values());
    }

    private static List<Estate.Descriptor> union(List<Estate.Descriptor> a, List<Estate.Descriptor> b) {
        Map<String, Estate.Descriptor> all = new LinkedHashMap<>();
        a.forEach(d -> all.putIfAbsent(d.key(), d));
        b.forEach(d -> all.putIfAbsent(d.key(), d));
        return List.copyOf(all.values());
    }

    /**
     * The (protocol, port)s that are common services: infrastructure ports, or a port of one server
     * cell that at least three client cells and half of all client cells use.
     */
    static Set<Item> commonServices(List<Edge> edges) {
        Set<Integer> clientCells = new TreeSet<>();
        Map<String, Set<Integer>> consumers = new LinkedHashMap<>();
        Set<Item> common = new TreeSet<>();
        for (Edge e : edges) {
            clientCells.add(e.clientCell);
            consumers.computeIfAbsent(e.serverCell + "/" + e.protocol + "/" + e.port, k -> new TreeSet<>()).add(e.clientCell);
            if (e.port != Edge.NO_PORT && INFRASTRUCTURE.contains(e.port)) {
                common.add(new Item(e.protocol, e.port, e.port));
            }
        }
        for (Edge e : edges) {
            int users = consumers.get(e.serverCell + "/" + e.protocol + "/" + e.port).size();
            if (users >= 3 && users >= COMMON_SHARE * clientCells.size()) {
                common.add(new Item(e.protocol, e.port, e.port));
            }
        }
        return common;
    }
}
