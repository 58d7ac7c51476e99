package dev.septum.builder.recommend;

import dev.septum.flows.IpAddr;
import dev.septum.flows.store.QueryValues;
import dev.septum.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What one proposed rule rests on: the observed edges inside it, and what it allows beyond them. */
record Evidence(List<Edge> edges, double observed, double allowed, double overPermission, List<String> opensBeyond,
                List<String> warnings, Edge.Confidence confidence, Estate estate) {
    /** At most this many clients and servers are listed per flow; the counts stay whole. */
    private static final int LISTED = 20;
    /** A port in the ephemeral range served to this few clients is likely a swapped direction. */
    private static final int LOW_FAN_IN = 2;

    static Evidence of(Estate estate, List<Edge> all, Compaction.Draft draft) {
        Set<Integer> inside = new TreeSet<>();
        double observed = 0;
        double allowed = 0;
        double op = 0;
        List<String> beyond = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (BoundedCover.Candidate c : draft.parts()) {
            for (int i : c.edges()) {
                inside.add(i);
            }
            observed += c.observed();
            allowed += c.allowed();
            op += c.overPermission();
            if (c.overPermission() > 0) {
                beyond.add(String.format(java.util.Locale.ROOT, "%s -> %s %s: %.0f address pairs x ports never seen (precision %.2f)",
                        c.clients().name(), c.servers().name(), ports(c.protocol(), c.low(), c.high()), c.overPermission(), c.precision()));
            }
            if (c.high() > c.low()) {
                long seen = java.util.Arrays.stream(c.edges()).map(i -> all.get(i).port).distinct().count();
                if (seen < c.high() - c.low() + 1) {
                    beyond.add((c.high() - c.low() + 1 - seen) + " unobserved ports inside " + c.low() + "-" + c.high());
                }
                if (c.low() >= PortRanges.DYNAMIC_START) {
                    warnings.add("the range " + c.low() + "-" + c.high() + " lies in the ephemeral range: confirm the service really listens there");
                }
            }
        }
        List<Edge> edges = inside.stream().map(all::get).toList();
        Edge.Confidence confidence = edges.stream().map(e -> e.confidence).max(Enum::compareTo).orElse(Edge.Confidence.HIGH);
        for (Edge e : edges) {
            if (e.port >= PortRanges.DYNAMIC_START && e.clients.size() <= LOW_FAN_IN) {
                warnings.add("port " + e.port + " is in the ephemeral range and only " + e.clients.size()
                        + " client(s) used it: check the direction (" + e.confidence.label() + " confidence)");
            }
        }
        return new Evidence(edges, observed, allowed, op, beyond, warnings.stream().distinct().toList(), confidence, estate);
    }

    long sessions() {
        return edges.stream().mapToLong(e -> e.sessions).sum();
    }

    long first() {
        return edges.stream().mapToLong(e -> e.firstMillis).min().orElse(0);
    }

    long last() {
        return edges.stream().mapToLong(e -> e.lastMillis).max().orElse(0);
    }

    double precision() {
        return allowed == 0 ? 1 : Math.min(1, observed / allowed);
    }

    Recommendation.ProposedRule rule(Rule rule, Compaction.Draft draft, String service) {
        String ports = String.join(", ", draft.items().stream().map(i -> ports(i.protocol(), i.low(), i.high())).toList());
        List<Recommendation.Flow> flows = edges.stream().map(e -> new Recommendation.Flow(estate.cell(e.clientCell).label(),
                estate.cell(e.serverCell).label(), QueryValues.protocolName(e.protocol), e.port, e.sessions,
                listed(e.clients), listed(e.servers), e.firstMillis, e.lastMillis, e.confidence.label())).toList();
        return new Recommendation.ProposedRule(rule.name(), rule.sources().stream().map(r -> r.name()).toList(),
                rule.destinations().stream().map(r -> r.name()).toList(), List.of(service), ports, draft.common(), sessions(),
                first(), last(), precision(), overPermission, opensBeyond, confidence.label(), warnings, flows);
    }

    private static List<String> listed(Set<IpAddr> addresses) {
        List<String> out = addresses.stream().limit(LISTED).map(IpAddr::toString).toList();
        return addresses.size() > LISTED ? concat(out, "and " + (addresses.size() - LISTED) + " more") : out;
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> out = new ArrayList<>(list);
        out.add(last);
        return out;
    }

    static String ports(int protocol, int low, int high) {
        String p = QueryValues.protocolName(protocol);
        return low == Edge.NO_PORT ? p : low == high ? p + " " + low : p + " " + low + "-" + high;
    }
}
