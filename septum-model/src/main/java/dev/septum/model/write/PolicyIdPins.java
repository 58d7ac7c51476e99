package dev.septum.model.write;

import dev.septum.model.PolicyNumbers;
import dev.septum.model.load.PolicyLoader;
import dev.septum.model.write.YamlObjectEditor.Found;
import dev.septum.model.write.YamlObjectEditor.Section;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes the number of every policy that has no {@code id:} into its YAML, so adding, removing or
 * reordering policies later never renumbers it (and never shows an untouched switch a config
 * change). A policy keeps the number the previous version gave a policy of its name, else gets the
 * lowest free one ({@link PolicyNumbers}). Only the new {@code id:} lines are added; every other byte
 * of the files stays. A file that is not YAML the editor can read is left as it is, for
 * validation to report.
 */
public final class PolicyIdPins {
    private static final Section POLICIES = Section.top("policies");
    /** The id line goes where the writer puts it: after the name and the description. */
    private static final List<String> AFTER = List.of("name", "description");

    private PolicyIdPins() {
    }

    /**
     * @param previous the files of the previous version (empty for the first), whose numbers are kept
     * @param files    the policy directory to store, file name to text
     * @return {@code files} with an {@code id:} in every policy that had none
     */
    public static SortedMap<String, String> pin(Map<String, String> previous, Map<String, String> files) {
        Map<String, Integer> before = PolicyNumbers.assign(explicitIds(previous, new LinkedHashMap<>()), Map.of());
        Map<String, String> fileOf = new LinkedHashMap<>();
        SequencedMap<String, OptionalInt> current = explicitIds(files, fileOf);
        Map<String, Integer> ids = PolicyNumbers.assign(current, before);
        SortedMap<String, String> pinned = new TreeMap<>(files);
        current.forEach((name, id) -> {
            if (id.isEmpty()) {
                String file = fileOf.get(name);
                pinned.put(file, YamlObjectEditor.of(pinned.get(file)).addField(POLICIES, name, "id", ids.get(name), AFTER));
            }
        });
        return pinned;
    }

    /**
     * Every policy's explicit id by name, in the loader's order, noting the file each is in. A
     * policy whose id is not a number, or a second policy of one name, counts as pinned: the
     * loader refuses both, and they are not this function's to fix.
     */
    private static SequencedMap<String, OptionalInt> explicitIds(Map<String, String> files, Map<String, String> fileOf) {
        SequencedMap<String, OptionalInt> ids = new LinkedHashMap<>();
        new TreeMap<>(files).forEach((file, text) -> {
            if (PolicyLoader.isPolicyFile(file)) {
                for (Found found : policies(text)) {
                    Object id = found.value().get("id");
                    if (!ids.containsKey(found.name())) {
                        ids.put(found.name(), id == null ? OptionalInt.empty() : OptionalInt.of(number(id)));
                        fileOf.put(found.name(), file);
                    }
                }
            }
        });
        return ids;
    }

    /** An explicit id; one that is not a whole number still marks the policy as pinned, with a number no one gets. */
    private static int number(Object id) {
        return id instanceof Integer n ? n : 0;
    }

    private static List<Found> policies(String text) {
        try {
            return YamlObjectEditor.of(text).list(POLICIES);
        } catch (YamlObjectEditor.NotEditable e) {
            return List.of();
        }
    }
}
