package dev.septum.server.ui;

import dev.septum.flows.store.QueryValues;
import dev.septum.flows.store.StoredSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Observed sessions as a graph a person can read at thousands of endpoints: a node per set of
 * groups an address is in, or per category value (see {@link Nodes}), an edge per client node,
 * server node, verdict and deciding rule, with the sessions, packets and bytes summed and the services seen on it.
 *
 * @param sessions how many sessions the map sums
 */
public record FlowMap(List<Node> nodes, List<Edge> edges, int sessions) {
    /** Services an edge lists before it says "and N more". */
    static final int SERVICES_SHOWN = 5;

    public record Node(String name, long sessions) {
    }

    /**
     * @param verdict  forward, drop, {@code redirect to X}, or {@code untagged} for a session stored without a policy
     * @param rule     the rule that decided it, or the device match when no rule did (the VRF's default)
     * @param services protocol/port pairs seen, the first {@link #SERVICES_SHOWN}
     */
    public record Edge(String source, String target, String verdict, String rule, long sessions, long packets, long bytes,
                       List<String> services, int moreServices) {
    }

    private record Key(String source, String target, String verdict, String rule) {
    }

    private static final class Sum {
        long sessions;
        long packets;
        long bytes;
        final TreeSet<String> services = new TreeSet<>();
    }

    static FlowMap of(List<StoredSession> found, Nodes names) {
        Map<Key, Sum> edges = new LinkedHashMap<>();
        Map<String, Long> nodes = new TreeMap<>();
        for (StoredSession s : found) {
            String client = names.client(s);
            String server = names.server(s);
            Sum sum = edges.computeIfAbsent(new Key(client, server, verdict(s), rule(s)), k -> new Sum());
            sum.sessions++;
            sum.packets += s.row().clientPackets() + s.row().serverPackets();
            sum.bytes += s.row().clientOctets() + s.row().serverOctets();
            sum.services.add(QueryValues.protocolName(s.row().protocol()) + "/" + s.row().server().port());
            nodes.merge(client, 1L, Long::sum);
            if (!server.equals(client)) {
                nodes.merge(server, 1L, Long::sum);
            }
        }
        List<Edge> list = new ArrayList<>();
        edges.forEach((k, sum) -> list.add(new Edge(k.source(), k.target(), k.verdict(), k.rule(), sum.sessions, sum.packets, sum.bytes,
                sum.services.stream().limit(SERVICES_SHOWN).toList(), Math.max(0, sum.services.size() - SERVICES_SHOWN))));
        list.sort(Comparator.comparingLong(Edge::sessions).reversed().thenComparing(Edge::source).thenComparing(Edge::target));
        return new FlowMap(nodes.entrySet().stream().map(e -> new Node(e.getKey(), e.getValue())).toList(), list, found.size());
    }

    static String verdict(StoredSession s) {
        return s.tags().tagged() ? s.tags().verdict() : "untagged";
    }

    static String rule(StoredSession s) {
        return s.tags().rule().isEmpty() ? s.tags().match() : s.tags().rule();
    }
}
