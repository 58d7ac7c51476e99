package dev.septum.verify;

import com.github.javabdd.BDD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A conjunction of decision diagrams over the header bits, decided by walking them side by side
 * instead of building it: whether some packet lies in all of them, and the least such packet (bits
 * in variable order, 0 before 1, as {@code satOne} picks). Example packets ask this tens of
 * thousands of times on a large policy; building each narrowed set with JavaBDD made new nodes in
 * a table of millions, and those look-ups were most of {@code check}'s time.
 */
final class Conjunction {
    private final int varCount;
    private final List<Diagram> parts;
    private final Runs runs;
    /** The least packet once searched; null before. */
    private Optional<boolean[]> least;

    /** The packets in every one of {@code parts}, over {@code varCount} header bits; runs searched before are in {@code runs}. */
    Conjunction(int varCount, List<Diagram> parts, Runs runs) {
        this(varCount, parts, runs, null);
    }

    private Conjunction(int varCount, List<Diagram> parts, Runs runs, Optional<boolean[]> least) {
        this.varCount = varCount;
        this.parts = List.copyOf(parts);
        this.runs = runs;
        this.least = least;
    }

    /**
     * The least packets of runs of diagrams searched before (empty when a run has none), the
     * most recent kept. A field-set's side and a preference that misses it meet again in every
     * match that uses the set, and each time the walk would fail anew.
     */
    static final class Runs extends LinkedHashMap<List<Diagram>, Optional<boolean[]>> {
        private static final int KEPT = 1 << 14;

        Runs() {
            super(16, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Diagram>, Optional<boolean[]>> eldest) {
            return size() > KEPT;
        }
    }

    /**
     * This conjunction and one more diagram. When that holds for the least packet found so far,
     * it is still the least (it lies in the smaller set and nothing there is less), so no new
     * search is needed: most preferences hold for it already.
     */
    Conjunction and(Diagram part) {
        List<Diagram> more = new ArrayList<>(parts);
        more.add(part);
        boolean kept = least != null && least.isPresent() && part.holdsFor(least.get());
        return new Conjunction(varCount, more, runs, kept ? least : null);
    }

    /** This conjunction narrowed by {@code preference} when that leaves some packet, else itself. */
    Conjunction prefer(Diagram preference) {
        Conjunction narrowed = and(preference);
        return narrowed.least().isPresent() ? narrowed : this;
    }

    /** The bits of the least packet in every part (not to be changed); empty when there is none. */
    Optional<boolean[]> least() {
        if (least == null) {
            least = search();
        }
        return least;
    }

    /**
     * Parts over disjoint runs of variables (a match's destinations, sources and services) form a
     * product, whose least packet is each run's least side by side; each run is searched alone.
     */
    private Optional<boolean[]> search() {
        Diagram[] ds = parts.stream().sorted(Comparator.comparingInt(Diagram::firstVar)).toArray(Diagram[]::new);
        boolean[] bits = new boolean[varCount];
        int start = 0;
        while (start < ds.length) {
            int end = start + 1;
            int last = ds[start].lastVar;
            while (end < ds.length && ds[end].firstVar() <= last) {
                last = Math.max(last, ds[end].lastVar);
                end++;
            }
            Diagram[] run = Arrays.copyOfRange(ds, start, end);
            Optional<boolean[]> runLeast = runs.computeIfAbsent(List.of(run), r -> leastOf(run));
            if (runLeast.isEmpty()) {
                return Optional.empty();
            }
            // the run's nodes test only the variables from its first to its last
            if (run[0].root > Diagram.TRUE) {
                int first = run[0].firstVar();
                System.arraycopy(runLeast.get(), first, bits, first, last - first + 1);
            }
            start = end;
        }
        return Optional.of(bits);
    }

    private Optional<boolean[]> leastOf(Diagram[] run) {
        int[] roots = new int[run.length];
        for (int i = 0; i < run.length; i++) {
            roots[i] = run[i].root;
        }
        boolean[] bits = new boolean[varCount];
        return descend(run, roots, bits, new HashSet<>()) ? Optional.of(bits) : Optional.empty();
    }

    /**
     * Depth first, the 0 branch first, so the first packet found is the least; variables no part
     * tests on the way stay 0. Only the path that succeeds writes its bits. Node tuples that led
     * nowhere are remembered, so no tuple is walked twice. Once a single part is left to decide,
     * its path is walked straight: every node but false of a reduced diagram has a packet below it.
     */
    private static boolean descend(Diagram[] ds, int[] nodes, boolean[] bits, Set<Tuple> dead) {
        int var = Integer.MAX_VALUE;
        int open = -1;
        int opened = 0;
        for (int i = 0; i < ds.length; i++) {
            if (nodes[i] == Diagram.FALSE) {
                return false;
            }
            if (nodes[i] != Diagram.TRUE) {
                var = Math.min(var, ds[i].var[nodes[i]]);
                open = i;
                opened++;
            }
        }
        if (opened <= 1) {
            if (opened == 1) {
                ds[open].leastBelow(nodes[open], bits);
            }
            return true;
        }
        Tuple here = dead.isEmpty() ? null : new Tuple(nodes);
        if (here != null && dead.contains(here)) {
            return false;
        }
        for (int bit = 0; bit <= 1; bit++) {
            int[] next = new int[ds.length];
            for (int i = 0; i < ds.length; i++) {
                int node = nodes[i];
                next[i] = node <= Diagram.TRUE || ds[i].var[node] != var ? node : bit == 1 ? ds[i].high[node] : ds[i].low[node];
            }
            if (descend(ds, next, bits, dead)) {
                bits[var] = bit == 1;
                return true;
            }
        }
        dead.add(here != null ? here : new Tuple(nodes));
        return false;
    }

    /** A tuple of node ids, compared by content. */
    private record Tuple(int[] nodes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Tuple t && Arrays.equals(nodes, t.nodes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(nodes);
        }
    }

    /**
     * A BDD copied out of its factory into arrays (node 0 is false, 1 is true), or built directly
     * from a field value: walking copies makes no node in the factory.
     */
    static final class Diagram {
        static final int FALSE = 0;
        static final int TRUE = 1;

        private final int[] var;
        private final int[] low;
        private final int[] high;
        private final int root;
        /** The last variable a node tests; -1 when none does. */
        private final int lastVar;

        private Diagram(int[] var, int[] low, int[] high, int size, int root) {
            this.var = var;
            this.low = low;
            this.high = high;
            this.root = root;
            int max = -1;
            for (int node = TRUE + 1; node < size; node++) {
                max = Math.max(max, var[node]);
            }
            this.lastVar = max;
        }

        /** The first variable the diagram tests (reduced and ordered: its root's); past every variable when none. */
        private int firstVar() {
            return root > TRUE ? var[root] : Integer.MAX_VALUE;
        }

        /** Whether no packet lies in this set. */
        boolean isEmpty() {
            return root == FALSE;
        }

        /** Whether the packet with these bits lies in this set. */
        private boolean holdsFor(boolean[] bits) {
            int node = root;
            while (node > TRUE) {
                node = bits[var[node]] ? high[node] : low[node];
            }
            return node == TRUE;
        }

        /** Sets the bits of the least packet below {@code node} (not false; its diagram is reduced). */
        private void leastBelow(int node, boolean[] bits) {
            while (node > TRUE) {
                boolean one = low[node] == FALSE;
                bits[var[node]] = one;
                node = one ? high[node] : low[node];
            }
        }

        /** A copy of {@code bdd}; the BDD stays the caller's. */
        static Diagram of(BDD bdd) {
            Builder b = new Builder();
            Map<BDD, Integer> ids = new HashMap<>();
            int root = b.copy(bdd, ids);
            ids.keySet().forEach(BDD::free);
            return b.build(root);
        }

        /**
         * Packets whose address at {@code offset} is {@code address} (all its bits), or, when
         * {@code equal} is false, every packet whose address there is another.
         */
        static Diagram address(int offset, byte[] address, boolean equal) {
            Builder b = new Builder();
            int miss = equal ? FALSE : TRUE;
            int node = equal ? TRUE : FALSE;
            for (int i = address.length * 8 - 1; i >= 0; i--) {
                boolean one = (address[i / 8] >> (7 - i % 8) & 1) == 1;
                node = one ? b.add(offset + i, miss, node) : b.add(offset + i, node, miss);
            }
            return b.build(node);
        }

        private static final class Builder {
            private int[] var = new int[16];
            private int[] low = new int[16];
            private int[] high = new int[16];
            private int size = 2;

            private int add(int v, int l, int h) {
                if (size == var.length) {
                    var = Arrays.copyOf(var, 2 * size);
                    low = Arrays.copyOf(low, 2 * size);
                    high = Arrays.copyOf(high, 2 * size);
                }
                var[size] = v;
                low[size] = l;
                high[size] = h;
                return size++;
            }

            /** Copies {@code node} below; handles it makes stay in {@code ids} until the copy is done. */
            private int copy(BDD node, Map<BDD, Integer> ids) {
                if (node.isZero()) {
                    return FALSE;
                }
                if (node.isOne()) {
                    return TRUE;
                }
                Integer known = ids.get(node);
                if (known != null) {
                    return known;
                }
                int l = child(node.low(), ids);
                int h = child(node.high(), ids);
                return add(node.var(), l, h);
            }

            private int child(BDD child, Map<BDD, Integer> ids) {
                Integer known = ids.get(child);
                if (known != null) {
                    child.free();
                    return known;
                }
                int id = copy(child, ids);
                ids.put(child, id);
                return id;
            }

            private Diagram build(int root) {
                return new Diagram(var, low, high, size, root);
            }
        }
    }
}
