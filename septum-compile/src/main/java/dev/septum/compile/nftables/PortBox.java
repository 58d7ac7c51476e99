package dev.septum.compile.nftables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** One {@code protocol . source ports . destination ports} element of a service's port set. */
record PortBox(String protocol, int sourceLow, int sourceHigh, int destinationLow, int destinationHigh) {

    String element() {
        return protocol + " . " + range(sourceLow, sourceHigh) + " . " + range(destinationLow, destinationHigh);
    }

    boolean meets(PortBox other) {
        return protocol.equals(other.protocol) && sourceLow <= other.sourceHigh && other.sourceLow <= sourceHigh
                && destinationLow <= other.destinationHigh && other.destinationLow <= destinationHigh;
    }

    static boolean anyMeet(List<PortBox> boxes) {
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                if (boxes.get(i).meets(boxes.get(j))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The same packets as disjoint boxes, per protocol in order of first appearance: the source
     * ports are cut at every box edge, each piece takes the union of the destination ranges of the
     * boxes over it, and neighbouring pieces with the same union are joined again.
     */
    static List<PortBox> disjoint(List<PortBox> boxes) {
        Map<String, List<PortBox>> byProtocol = new LinkedHashMap<>();
        boxes.forEach(b -> byProtocol.computeIfAbsent(b.protocol, p -> new ArrayList<>()).add(b));
        List<PortBox> out = new ArrayList<>();
        byProtocol.forEach((protocol, own) -> out.addAll(disjointOf(protocol, own)));
        return out;
    }

    private static List<PortBox> disjointOf(String protocol, List<PortBox> boxes) {
        TreeSet<Integer> cuts = new TreeSet<>();
        for (PortBox b : boxes) {
            cuts.add(b.sourceLow);
            cuts.add(b.sourceHigh + 1);
        }
        List<PortBox> out = new ArrayList<>();
        List<int[]> previous = List.of();
        Integer low = cuts.first();
        for (Integer next = cuts.higher(low); next != null; low = next, next = cuts.higher(next)) {
            int pieceLow = low;
            int pieceHigh = next - 1;
            List<int[]> destinations = union(boxes.stream()
                    .filter(b -> b.sourceLow <= pieceLow && pieceHigh <= b.sourceHigh)
                    .map(b -> new int[] {b.destinationLow, b.destinationHigh}).toList());
            if (!destinations.isEmpty() && sameRanges(destinations, previous)) {
                // the previous piece's boxes are the last ones out: widen them over this piece
                for (int i = out.size() - destinations.size(); i < out.size(); i++) {
                    PortBox b = out.get(i);
                    out.set(i, new PortBox(protocol, b.sourceLow, pieceHigh, b.destinationLow, b.destinationHigh));
                }
            } else {
                destinations.forEach(d -> out.add(new PortBox(protocol, pieceLow, pieceHigh, d[0], d[1])));
            }
            previous = destinations;
        }
        return out;
    }

    /** Sorted, overlapping or touching ranges joined. */
    private static List<int[]> union(List<int[]> ranges) {
        List<int[]> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> out = new ArrayList<>();
        for (int[] r : sorted) {
            if (!out.isEmpty() && r[0] <= out.getLast()[1] + 1) {
                out.getLast()[1] = Math.max(out.getLast()[1], r[1]);
            } else {
                out.add(new int[] {r[0], r[1]});
            }
        }
        return out;
    }

    private static boolean sameRanges(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i)[0] != b.get(i)[0] || a.get(i)[1] != b.get(i)[1]) {
                return false;
            }
        }
        return true;
    }

    private static String range(int low, int high) {
        return low == high ? Integer.toString(low) : low + "-" + high;
    }
}
