package dev.septum.compile.diff;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
     * As many lines as {@link #unified} marks added, and which: a line {@code before} never has is
     * added by every diff, so only the others are diffed (the diff's search costs the lengths times
     * the lines added; a proposal's new lines are mostly its own names). The count is the unified
     * diff's; where two equally short diffs exist, which of two equal lines counts as new may differ.
     */
    public static List<String> added(String before, String after) {
        List<String> a = before.lines().toList();
        Set<String> known = new HashSet<>(a);
        List<String> added = new ArrayList<>();
        List<String> shared = new ArrayList<>();
        after.lines().forEach(line -> (known.contains(line) ? shared : added).add(line));
        for (AbstractDelta<String> delta : DiffUtils.diff(a, shared).getDeltas()) {
            added.addAll(delta.getTarget().getLines());
        }
        return added;
    }
}
