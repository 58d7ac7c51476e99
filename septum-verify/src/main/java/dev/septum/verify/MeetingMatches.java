package dev.septum.verify;

import dev.septum.compile.plan.MatchEntry;
import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * For each match of a traffic-policy (one family), the other matches that may share a packet
 * with it, in policy order. Only these can take part of its packets, so the first-match and
 * redundancy analyses look at them alone instead of at every other match. They are found through
 * the destination prefixes: two prefixes meet only when one lies in the other, so a prefix finds
 * its partners by a range look-up and one look-up per shorter prefix length in use, and
 * {@link MatchSpaces#mayMeet} then drops pairs whose sources or services cannot meet.
 */
final class MeetingMatches {
    /** A destination prefix as the block of addresses it covers. */
    private record Block(BigInteger first, int length) {
        static Block of(IPAddress prefix) {
            int bits = prefix.getBitCount();
            Integer length = prefix.getNetworkPrefixLength();
            return at(prefix.getValue(), length == null ? bits : length, bits);
        }

        static Block at(BigInteger address, int length, int bits) {
            return new Block(address.shiftRight(bits - length).shiftLeft(bits - length), length);
        }

        BigInteger last(int bits) {
            return first.add(BigInteger.ONE.shiftLeft(bits - length)).subtract(BigInteger.ONE);
        }
    }

    private final int[][] meeting;

    MeetingMatches(List<MatchEntry> matches, MatchSpaces spaces) {
        int bits = spaces.space().family().bits();
        Map<Block, List<Integer>> byBlock = new HashMap<>();
        List<Integer> anyDestination = new ArrayList<>();
        List<List<Block>> blocksOf = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            List<Block> blocks = new ArrayList<>();
            for (String set : matches.get(i).destinationSets()) {
                for (IPAddress prefix : spaces.familyPrefixes(set)) {
                    blocks.add(Block.of(prefix));
                }
            }
            if (matches.get(i).destinationSets().isEmpty()) {
                anyDestination.add(i);
            }
            for (Block b : blocks) {
                byBlock.computeIfAbsent(b, k -> new ArrayList<>()).add(i);
            }
            blocksOf.add(blocks);
        }
        Block[] sorted = byBlock.keySet().toArray(Block[]::new);
        Arrays.sort(sorted, (a, b) -> a.first().equals(b.first()) ? Integer.compare(a.length(), b.length())
                : a.first().compareTo(b.first()));
        BigInteger[] firsts = Arrays.stream(sorted).map(Block::first).toArray(BigInteger[]::new);
        TreeSet<Integer> lengths = new TreeSet<>();
        byBlock.keySet().forEach(b -> lengths.add(b.length()));

        meeting = new int[matches.size()][];
        int[] seen = new int[matches.size()];
        Arrays.fill(seen, -1);
        for (int i = 0; i < matches.size(); i++) {
            int[] found = new int[16];
            int count = 0;
            List<Integer> candidates = new ArrayList<>(anyDestination);
            if (matches.get(i).destinationSets().isEmpty()) {
                for (int k = 0; k < matches.size(); k++) {
                    candidates.add(k);
                }
            }
            for (Block q : blocksOf.get(i)) {
                // blocks starting inside q lie in q or contain it; blocks starting before it contain it
                int from = lowerBound(firsts, q.first());
                BigInteger last = q.last(bits);
                for (int b = from; b < sorted.length && sorted[b].first().compareTo(last) <= 0; b++) {
                    candidates.addAll(byBlock.get(sorted[b]));
                }
                for (int length : lengths.headSet(q.length())) {
                    List<Integer> containing = byBlock.get(Block.at(q.first(), length, bits));
                    if (containing != null) {
                        candidates.addAll(containing);
                    }
                }
            }
            for (int k : candidates) {
                if (k != i && seen[k] != i) {
                    seen[k] = i;
                    if (spaces.mayMeet(matches.get(i), matches.get(k))) {
                        if (count == found.length) {
                            found = Arrays.copyOf(found, 2 * count);
                        }
                        found[count++] = k;
                    }
                }
            }
            int[] result = Arrays.copyOf(found, count);
            Arrays.sort(result);
            meeting[i] = result;
        }
    }

    private static int lowerBound(BigInteger[] sorted, BigInteger key) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid].compareTo(key) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The matches (by position) that may share a packet with match i, in policy order. */
    int[] of(int i) {
        return meeting[i];
    }
}
