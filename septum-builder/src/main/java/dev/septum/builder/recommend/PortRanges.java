package dev.septum.builder.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

/**
 * A server's observed ports on one protocol, covered by as few ranges as fill at most {@code slack}
 * unobserved ports in total: cut at the largest gaps first (for a given number of ranges that
 * fills the fewest ports), and take the fewest ranges within the slack. Only servers with
 * {@link RecommendRequest#MIN_PORTS_FOR_RANGE} ports or more are merged at all: two or three ports
 * are a port list, not a range.
 */
final class PortRanges {
    /** Linux's default ephemeral range starts here; a range inside 32768-65535 is flagged. */
    static final int DYNAMIC_START = 32768;

    record Range(int low, int high, int observed) {
        int filled() {
            return high - low + 1 - observed;
        }

        boolean contains(int port) {
            return low <= port && port <= high;
        }

        boolean dynamic() {
            return low >= DYNAMIC_START;
        }
    }

    private PortRanges() {
    }

    /** The merged ranges (only those holding two ports or more); empty when the ports stay single. */
    static List<Range> of(NavigableSet<Integer> ports, int slack) {
        if (ports.size() < RecommendRequest.MIN_PORTS_FOR_RANGE) {
            return List.of();
        }
        int[] p = ports.stream().mapToInt(Integer::intValue).toArray();
        // gap i lies between p[i] and p[i+1]; sort the gap indices by size, smallest first
        List<Integer> gaps = new ArrayList<>();
        for (int i = 0; i + 1 < p.length; i++) {
            gaps.add(i);
        }
        gaps.sort((x, y) -> Integer.compare(p[x + 1] - p[x], p[y + 1] - p[y]));
        boolean[] joined = new boolean[p.length];
        long filled = 0;
        for (int g : gaps) {
            int fill = p[g + 1] - p[g] - 1;
            if (filled + fill > slack) {
                break;
            }
            filled += fill;
            joined[g] = true;
        }
        List<Range> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < p.length; i++) {
            if (i == p.length - 1 || !joined[i]) {
                if (i > start) {
                    out.add(new Range(p[start], p[i], i - start + 1));
                }
                start = i + 1;
            }
        }
        return out;
    }
}
