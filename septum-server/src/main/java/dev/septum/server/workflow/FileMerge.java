package dev.septum.server.workflow;

import dev.septum.model.write.YamlObjectEditor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts a workspace's edits on top of the newest version. Files changed on only one side are taken
 * from that side. A file changed on both sides since the workspace's base is merged object by
 * object ({@link ObjectMerge}); an object (or rule) changed on both sides, or a file that cannot be
 * merged that way, is a conflict: submitting would silently undo the other change (a lost update),
 * so the submit is refused and names the files and objects.
 */
public final class FileMerge {
    public sealed interface Result {
        /** @param changed the files the workspace added, edited or deleted */
        record Merged(SortedMap<String, String> files, List<String> changed) implements Result {
        }

        /** @param objects e.g. {@code policies.yaml: rule 'ssh' in policy 'web'}; empty when whole files conflict */
        record Conflict(List<String> files, List<String> objects) implements Result {
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
        SortedMap<String, String> merged = new TreeMap<>(head);
        List<String> conflictingFiles = new ArrayList<>();
        List<String> conflictingObjects = new ArrayList<>();
        for (String name : changed) {
            String text = workspace.get(name);
            if (!changedSinceBase.contains(name)) {
                if (text == null) {
                    merged.remove(name);
                } else {
                    merged.put(name, text);
                }
                continue;
            }
            switch (mergeObjects(base.get(name), head.get(name), text)) {
                case ObjectMerge.Outcome.Merged m -> merged.put(name, m.text());
                case ObjectMerge.Outcome.Conflicts c -> {
                    conflictingFiles.add(name);
                    c.objects().forEach(o -> conflictingObjects.add(name + ": " + o));
                }
            }
        }
        if (!conflictingFiles.isEmpty()) {
            return new Result.Conflict(conflictingFiles, conflictingObjects);
        }
        return new Result.Merged(merged, changed);
    }

    private static ObjectMerge.Outcome mergeObjects(String base, String head, String workspace) {
        if (base == null || head == null || workspace == null) {
            return new ObjectMerge.Outcome.Conflicts(List.of()); // added or deleted as a whole on one side
        }
        try {
            return ObjectMerge.merge(base, head, workspace);
        } catch (YamlObjectEditor.NotEditable e) {
            return new ObjectMerge.Outcome.Conflicts(List.of());
        }
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
