package dev.septum.model.write;

import dev.septum.model.PolicyModel;
import dev.septum.model.PolicyObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A model as the policy YAML the loader reads: loading the text gives the same model back (every
 * object, field and order; only source positions differ), and the same model always gives the same
 * text. To change one object of an existing file and keep the rest of its text, use
 * {@link YamlObjectEditor}.
 */
public final class PolicyWriter {
    /** Where {@link #files} puts each kind of object: the layout of the examples. */
    public static final String INVENTORY_FILE = "inventory.yaml";
    public static final String OBJECTS_FILE = "objects.yaml";
    public static final String POLICIES_FILE = "policies.yaml";

    private PolicyWriter() {
    }

    /** The whole model as one file, its sections in the loader's order. */
    public static String write(PolicyModel model) {
        return YamlText.document(sections(model));
    }

    /**
     * The whole model as a policy directory: domains, devices and monitors in {@value #INVENTORY_FILE},
     * groups, services and redirects in {@value #OBJECTS_FILE}, policies in {@value #POLICIES_FILE};
     * a file with nothing to hold is left out.
     */
    public static SortedMap<String, String> files(PolicyModel model) {
        Map<String, String> fileOf = Map.of("domains", INVENTORY_FILE, "devices", INVENTORY_FILE, "monitors", INVENTORY_FILE,
                "groups", OBJECTS_FILE, "services", OBJECTS_FILE, "redirects", OBJECTS_FILE, "policies", POLICIES_FILE);
        SortedMap<String, SequencedMap<String, List<Map<String, Object>>>> byFile = new TreeMap<>();
        sections(model).forEach((key, items) -> byFile.computeIfAbsent(fileOf.get(key), f -> new LinkedHashMap<>()).put(key, items));
        SortedMap<String, String> files = new TreeMap<>();
        byFile.forEach((file, sections) -> {
            String text = YamlText.document(sections);
            if (!text.isEmpty()) {
                files.put(file, text);
            }
        });
        return files;
    }

    /** One object as an item of its section ({@code - name: web} and its fields), the dash at column 0. */
    public static String object(PolicyObject object) {
        return YamlText.items(List.of(ObjectFields.of(object)), 0);
    }

    /** Every section of the model in the loader's order, each object as its fields. */
    private static SequencedMap<String, List<Map<String, Object>>> sections(PolicyModel model) {
        SequencedMap<String, List<Map<String, Object>>> sections = new LinkedHashMap<>();
        sections.put("domains", fields(model.domains().values()));
        sections.put("devices", fields(model.devices().values()));
        sections.put("groups", fields(model.groups().values()));
        sections.put("services", fields(model.services().values()));
        sections.put("redirects", fields(model.redirects().values()));
        sections.put("monitors", fields(model.monitors().values()));
        sections.put("policies", fields(model.policies().values()));
        return sections;
    }

    private static List<Map<String, Object>> fields(java.util.Collection<? extends PolicyObject> objects) {
        return objects.stream().map(ObjectFields::of).toList();
    }
}
