package dev.septum.server.workflow;

import dev.septum.model.load.PolicyLoader;
import dev.septum.model.write.YamlObjectEditor;
import dev.septum.model.write.YamlObjectEditor.Found;
import dev.septum.model.write.YamlObjectEditor.Section;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model objects of a policy directory held as files. Each object lives in exactly one file (the
 * loader refuses duplicates), so every change here rewrites exactly one file and a workspace
 * revision covers one object edit.
 */
public final class PolicyObjects {
    private final SortedMap<String, String> files;
    /** Each file parsed once: a 10,000-rule file takes seconds to parse, and every section's list reads every file. */
    private final Map<String, YamlObjectEditor> editors = new ConcurrentHashMap<>();

    public PolicyObjects(SortedMap<String, String> files) {
        this.files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    /** An object and the file holding it. */
    public record Located(String file, Found found) {
    }

    /** The new text of one file. */
    public record Edit(String file, String text) {
    }

    /** The files a policy object may live in: every policy file except the lab topology. */
    private List<String> policyFiles() {
        return files.keySet().stream().filter(PolicyLoader::isPolicyFile).toList();
    }

    private YamlObjectEditor editor(String file) {
        // the editor is immutable: its edits return new text
        return editors.computeIfAbsent(file, f -> {
            try {
                return YamlObjectEditor.of(files.getOrDefault(f, ""));
            } catch (YamlObjectEditor.NotEditable e) {
                throw e.in(f);
            }
        });
    }

    public List<Located> list(Section section) {
        List<Located> all = new ArrayList<>();
        for (String file : policyFiles()) {
            editor(file).list(section).forEach(f -> all.add(new Located(file, f)));
        }
        return all;
    }

    public Optional<Located> find(Section section, String name) {
        for (String file : policyFiles()) {
            Optional<Found> found = editor(file).find(section, name);
            if (found.isPresent()) {
                return Optional.of(new Located(file, found.get()));
            }
        }
        return Optional.empty();
    }

    /** The file holding the section (a policy's rules: the policy), if any file does. */
    public Optional<String> fileHolding(Section section) {
        return policyFiles().stream().filter(f -> editor(f).holds(section)).findFirst();
    }

    public Edit replace(Located old, Section section, Map<String, Object> value) {
        String name = String.valueOf(old.found().value().get("name"));
        return new Edit(old.file(), editor(old.file()).replace(section, name, value));
    }

    /** Moves an object to just before another one of the same section and file, replacing its value too. */
    public Edit move(Located old, Section section, Map<String, Object> value, String before) {
        String name = String.valueOf(old.found().value().get("name"));
        String without = editor(old.file()).delete(section, name);
        return new Edit(old.file(), YamlObjectEditor.of(without).insert(section, value, Optional.of(before)));
    }

    public Edit insert(String file, Section section, Map<String, Object> value, Optional<String> before) {
        return new Edit(file, editor(file).insert(section, value, before));
    }

    public Edit delete(Located old, Section section) {
        String name = String.valueOf(old.found().value().get("name"));
        return new Edit(old.file(), editor(old.file()).delete(section, name));
    }
}
