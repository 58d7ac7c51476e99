package dev.septum.server.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts a workspace's edits on top of the newest version. A file the workspace changed that also
 * changed in the newest version since the workspace's base is a conflict: submitting would
 * silently undo the other change (a lost update), so the submit is refused and names the files.
 * Files changed on only one side are taken from that side.
 */
public final class FileMerge {
    public sealed interface Result {
        /** @param changed the files the workspace added, edited or deleted */
        record Merged(SortedMap<String, String> files, List<String> changed) implements Result {
        }

        record Conflict(List<String> files) implements Result {
        }

        record NothingChanged() implements Result {
        }
    }

    private FileMerge() {
    }

    public static Result merge(Map<String, String> base, Map<String, String> head, Map<String, String> workspace) {
        List<String> changed = changedNames(base, workspace);
        if (changed.isEmpty()) {
            return new Result.NothingChanged();
        }
        List<String> changedSinceBase = changedNames(base, head);
        List<String> conflicts = changed.stream().filter(changedSinceBase::contains).toList();
        if (!conflicts.isEmpty()) {
            return new Result.Conflict(conflicts);
        }
        SortedMap<String, String> merged = new TreeMap<>(head);
        for (String name : changed) {
            String text = workspace.get(name);
            if (text == null) {
                merged.remove(name);
            } else {
                merged.put(name, text);
            }
        }
        return new Result.Merged(merged, changed);
    }

    /** Names added, removed or edited between two directories, sorted. */
    public static List<String> changedNames(Map<String, String> before, Map<String, String> after) {
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<String> changed = new ArrayList<>();
        for (String name : names) {
            if (!Objects.equals(before.get(name), after.get(name))) {
                changed.add(name);
            }
        }
        return changed;
    }
}
