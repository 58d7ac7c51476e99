package dev.septum.model.validate;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** "Did you mean" for misspelt names and keys. */
public final class Suggestions {
    private Suggestions() {
    }

    /** The closest candidate within a small edit distance, if any. */
    public static Optional<String> closest(String wrong, Collection<String> candidates) {
        // a truncated name (sw1 for sw1-rack4) is far in edits but obvious to a person
        List<String> extended = candidates.stream().filter(c -> c.length() > wrong.length() && c.startsWith(wrong)).toList();
        if (extended.size() == 1 && wrong.length() >= 3) {
            return Optional.of(extended.getFirst());
        }
        int limit = Math.max(2, wrong.length() / 3);
        return candidates.stream()
                .filter(c -> distance(wrong.toLowerCase(), c.toLowerCase()) <= limit)
                .min(Comparator.comparingInt((String c) -> distance(wrong.toLowerCase(), c.toLowerCase()))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /** A fix text: "use 'x'" when a close name exists, else the fallback. */
    public static String fix(String wrong, Collection<String> candidates, String fallback) {
        return closest(wrong, candidates).map(c -> "did you mean '" + c + "'?").orElse(fallback);
    }

    /**
     * Edit distance counting a swap of two neighbouring letters as one edit (optimal string
     * alignment), so {@code wbe} is closer to {@code web} than to {@code db}.
     */
    static int distance(String a, String b) {
        int[] before = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    cur[j] = Math.min(cur[j], before[j - 2] + 1);
                }
            }
            int[] t = before;
            before = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
