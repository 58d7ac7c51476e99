package dev.septum.server.workflow;

import dev.septum.model.write.YamlObjectEditor.Section;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

/**
 * What a workspace changes against the version it started from, object by object: the workspace
 * island's list of pending changes. A rule that keeps its fields but changes place is "moved".
 */
public final class PendingChanges {
    public static final List<String> KINDS = List.of("domains", "devices", "groups", "services", "redirects", "monitors", "policies");

    private PendingChanges() {
    }

    /** One changed object: its kind (a rule's is "rules of POLICY"), its name and added, removed, changed or moved. */
    public record Change(String kind, String name, String what) {
    }

    public static List<Change> between(SortedMap<String, String> base, SortedMap<String, String> workspace) {
        PolicyObjects before = new PolicyObjects(base);
        PolicyObjects after = new PolicyObjects(workspace);
        List<Change> changes = new ArrayList<>();
        for (String kind : KINDS) {
            Map<String, Object> old = values(before, Section.top(kind));
            Map<String, Object> now = values(after, Section.top(kind));
            compare(kind, old, now, changes);
            if (kind.equals("policies")) {
                for (String policy : now.keySet()) {
                    if (old.containsKey(policy)) {
                        compare("rules of " + policy, values(before, Section.rulesOf(policy)), values(after, Section.rulesOf(policy)), changes);
                    }
                }
            }
        }
        return changes;
    }

    private static void compare(String kind, Map<String, Object> old, Map<String, Object> now, List<Change> changes) {
        Set<String> stayed = inPlace(new ArrayList<>(old.keySet()), new ArrayList<>(now.keySet()));
        for (var entry : now.entrySet()) {
            String name = entry.getKey();
            if (!old.containsKey(name)) {
                changes.add(new Change(kind, name, "added"));
            } else if (!Objects.equals(old.get(name), entry.getValue())) {
                changes.add(new Change(kind, name, "changed"));
            } else if (!stayed.contains(name)) {
                changes.add(new Change(kind, name, "moved"));
            }
        }
        old.keySet().stream().filter(name -> !now.containsKey(name)).forEach(name -> changes.add(new Change(kind, name, "removed")));
    }

    /**
     * The objects that kept their order: the longest run of kept objects whose old positions still
     * increase in the new order. The others are the ones that moved (a rule dragged up by three
     * places is one move, not four).
     */
    private static Set<String> inPlace(List<String> oldOrder, List<String> newOrder) {
        Map<String, Integer> oldIndex = new HashMap<>();
        for (int i = 0; i < oldOrder.size(); i++) {
            oldIndex.put(oldOrder.get(i), i);
        }
        List<String> kept = newOrder.stream().filter(oldIndex::containsKey).toList();
        int[] tailAt = new int[kept.size()];
        int[] previous = new int[kept.size()];
        int length = 0;
        for (int i = 0; i < kept.size(); i++) {
            int value = oldIndex.get(kept.get(i));
            int lo = 0;
            int hi = length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (oldIndex.get(kept.get(tailAt[mid])) < value) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            previous[i] = lo > 0 ? tailAt[lo - 1] : -1;
            tailAt[lo] = i;
            length = Math.max(length, lo + 1);
        }
        Set<String> stayed = new HashSet<>();
        for (int i = length == 0 ? -1 : tailAt[length - 1]; i >= 0; i = previous[i]) {
            stayed.add(kept.get(i));
        }
        return stayed;
    }

    /** Each object's fields by name, in file order; a policy's without its rules (those are compared one by one). */
    private static Map<String, Object> values(PolicyObjects objects, Section section) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (PolicyObjects.Located l : objects.list(section)) {
            Map<String, Object> value = new LinkedHashMap<>(l.found().value());
            value.remove("rules");
            values.put(l.found().name(), value);
        }
        return values;
    }
}
