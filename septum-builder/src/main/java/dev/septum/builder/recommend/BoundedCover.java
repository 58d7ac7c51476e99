package dev.septum.builder.recommend;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The bounded greedy cover: choose rules (A, B, protocol, ports) from the candidate lifts until
 * every observed edge is covered, taking each time the rule covering most new edges per unit of
 * over-permission, among those whose precision is at least τ and whose over-permission still fits
 * the budget. Each edge's own rule (its cells, its port) has precision 1 and over-permission 0,
 * so the loop always ends with every edge covered, within the budget.
 *
 * <p>Over-permission of a rule = address pairs × ports it allows minus the observed weight inside
 * it; the run's total is the sum over rules, which counts twice what two rules both open, so the
 * bound holds for the true union too.
 */
final class BoundedCover {
    /** A rule the cover may choose. */
    record Candidate(Estate.Descriptor clients, Estate.Descriptor servers, int protocol, int low, int high,
                     int[] edges, double observed, double allowed) {
        double overPermission() {
            return Math.max(0, allowed - observed);
        }

        double precision() {
            return allowed == 0 ? 1 : Math.min(1, observed / allowed);
        }

        String key() {
            return clients.key() + "|" + servers.key() + "|" + protocol + "|" + low + "-" + high;
        }
    }

    record Result(List<Candidate> chosen, double overPermission, double budget, double observedWeight) {
    }

    private BoundedCover() {
    }

    static Result cover(Estate estate, List<Edge> edges, Map<Integer, List<PortRanges.Range>> rangesByServerProto,
                        double beta, double tau) {
        double total = edges.stream().mapToDouble(e -> e.weight).sum();
        double budget = beta * total;
        double meanWeight = edges.isEmpty() ? 1 : total / edges.size();
        Map<Integer, List<Integer>> edgesByServer = new HashMap<>();
        for (int i = 0; i < edges.size(); i++) {
            edgesByServer.computeIfAbsent(edges.get(i).serverCell, c -> new ArrayList<>()).add(i);
        }
        Map<String, BitSet> cellsOf = new HashMap<>();
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        for (Edge e : edges) {
            List<int[]> ports = new ArrayList<>();
            ports.add(new int[] {e.port, e.port});
            rangesByServerProto.getOrDefault(serverProtoKey(e.serverCell, e.protocol), List.of()).stream()
                    .filter(r -> r.contains(e.port)).forEach(r -> ports.add(new int[] {r.low(), r.high()}));
            for (Estate.Descriptor a : estate.ancestors(e.clientCell)) {
                for (Estate.Descriptor b : estate.ancestors(e.serverCell)) {
                    for (int[] p : ports) {
                        String key = a.key() + "|" + b.key() + "|" + e.protocol + "|" + p[0] + "-" + p[1];
                        if (!candidates.containsKey(key)) {
                            Candidate c = evaluate(estate, edges, edgesByServer, cellsOf, a, b, e.protocol, p[0], p[1]);
                            if (c.precision() >= tau - 1e-9) {
                                candidates.put(key, c);
                            }
                        }
                    }
                }
            }
        }
        boolean[] covered = new boolean[edges.size()];
        int uncovered = edges.size();
        double spent = 0;
        List<Candidate> chosen = new ArrayList<>();
        record Scored(Candidate candidate, double score) {
        }
        Comparator<Scored> best = Comparator.comparingDouble(Scored::score).reversed()
                .thenComparingDouble(s -> s.candidate().overPermission())
                .thenComparing(s -> s.candidate().key());
        PriorityQueue<Scored> queue = new PriorityQueue<>(best);
        candidates.values().forEach(c -> queue.add(new Scored(c, score(c, covered, meanWeight))));
        while (uncovered > 0 && !queue.isEmpty()) {
            Scored top = queue.poll();
            Candidate c = top.candidate();
            if (spent + c.overPermission() > budget + 1e-9) {
                continue; // the budget only shrinks: it never fits again
            }
            double now = score(c, covered, meanWeight);
            if (now <= 0) {
                continue;
            }
            if (now < top.score() && !queue.isEmpty() && best.compare(new Scored(c, now), queue.peek()) > 0) {
                queue.add(new Scored(c, now));
                continue;
            }
            chosen.add(c);
            spent += c.overPermission();
            for (int i : c.edges()) {
                if (!covered[i]) {
                    covered[i] = true;
                    uncovered--;
                }
            }
        }
        if (uncovered > 0) {
            throw new IllegalStateException(uncovered + " observed edges left uncovered: an edge's own rule was not a candidate");
        }
        return new Result(chosen, spent, budget, total);
    }

    static int serverProtoKey(int serverCell, int protocol) {
        return serverCell * 256 + protocol;
    }

    private static double score(Candidate c, boolean[] covered, double meanWeight) {
        int fresh = 0;
        for (int i : c.edges()) {
            if (!covered[i]) {
                fresh++;
            }
        }
        return fresh / (1 + c.overPermission() / meanWeight);
    }

    private static Candidate evaluate(Estate estate, List<Edge> edges, Map<Integer, List<Integer>> edgesByServer,
                                      Map<String, BitSet> cellsOf, Estate.Descriptor a, Estate.Descriptor b,
                                      int protocol, int low, int high) {
        BitSet clientCells = cells(estate, cellsOf, a);
        BitSet serverCells = cells(estate, cellsOf, b);
        List<Integer> inside = new ArrayList<>();
        double observed = 0;
        for (int s = serverCells.nextSetBit(0); s >= 0; s = serverCells.nextSetBit(s + 1)) {
            for (int i : edgesByServer.getOrDefault(s, List.of())) {
                Edge e = edges.get(i);
                if (e.protocol == protocol && e.port >= low && e.port <= high && clientCells.get(e.clientCell)) {
                    inside.add(i);
                    observed += e.weight;
                }
            }
        }
        double ports = low == Edge.NO_PORT ? 1 : high - low + 1;
        return new Candidate(a, b, protocol, low, high, inside.stream().mapToInt(Integer::intValue).toArray(), observed,
                a.addresses() * b.addresses() * ports);
    }

    /** The known cells a descriptor holds. */
    private static BitSet cells(Estate estate, Map<String, BitSet> cellsOf, Estate.Descriptor d) {
        return cellsOf.computeIfAbsent(d.key(), k -> {
            BitSet set = new BitSet();
            for (int c = 0; c < estate.cellCount(); c++) {
                if (estate.holds(d, c)) {
                    set.set(c);
                }
            }
            return set;
        });
    }
}
