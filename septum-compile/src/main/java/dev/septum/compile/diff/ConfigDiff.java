package dev.septum.compile.diff;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
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
}
