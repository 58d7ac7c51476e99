package dev.septum.compile.diff;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.ArrayList;
import java.util.List;

/** The line diff of one device's config between two versions, in unified format for review. */
public final class ConfigDiff {
    private static final int CONTEXT_LINES = 3;

    private ConfigDiff() {
    }

    /** Empty when the two configs are identical. */
    public static List<String> unified(String device, String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        return UnifiedDiffUtils.generateUnifiedDiff("a/" + device, "b/" + device, a, DiffUtils.diff(a, b), CONTEXT_LINES);
    }

    /**
     * The lines {@link #unified} marks added, without the rest of the diff. When every line of
     * {@code before} appears in {@code after} in the same order (a change that only adds, as a
     * proposal does), every shortest diff keeps all of {@code before} and adds the other lines of
     * {@code after}: one pass finds them, where the diff's search costs the product of the lengths
     * and the lines added. Otherwise the full diff decides.
     */
    public static List<String> added(String device, String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        List<String> rest = new ArrayList<>();
        int kept = 0;
        for (String line : b) {
            if (kept < a.size() && a.get(kept).equals(line)) {
                kept++;
            } else {
                rest.add(line);
            }
        }
        if (kept == a.size()) {
            return rest;
        }
        return unified(device, before, after).stream().filter(l -> l.startsWith("+") && !l.startsWith("+++"))
                .map(l -> l.substring(1)).toList();
    }
}
