package dev.septum.server.workflow;

import dev.septum.model.load.ModelKeys;
import dev.septum.model.write.YamlObjectEditor;
import dev.septum.model.write.YamlObjectEditor.Found;
import dev.septum.model.write.YamlObjectEditor.Section;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Three-way merge of one policy file, object by object: a workspace's changes to objects (and to
 * single rules of a policy) that the newest version left alone are applied to the newest text with
 * {@link YamlObjectEditor}, so two workspaces adding different rules to the same policy both land.
 * An object changed on both sides, differently, is a conflict: taking either would lose the other.
 */
final class ObjectMerge {
    /** The merged text, or what conflicts ({@code rule 'x' in policy 'y'}). */
    sealed interface Outcome {
        record Merged(String text) implements Outcome {
        }

        record Conflicts(List<String> objects) implements Outcome {
        }
    }

    private final Snapshot base;
    private final Snapshot head;
    private final Snapshot workspace;
    private final List<String> conflicts = new ArrayList<>();
    private String text;

    private ObjectMerge(String base, String head, String workspace) {
        this.base = new Snapshot(base);
        this.head = new Snapshot(head);
        this.workspace = new Snapshot(workspace);
        this.text = head;
    }

    /** Merges; text that is not YAML the editor understands is refused as a whole-file conflict by the caller. */
    static Outcome merge(String base, String head, String workspace) {
        ObjectMerge m = new ObjectMerge(base, head, workspace);
        for (String kind : new TreeSet<>(ModelKeys.TOP)) {
            if (!kind.equals("policies")) {
                m.mergeSection(Section.top(kind), kind.substring(0, kind.length() - 1));
            }
        }
        for (String policy : m.names(Section.top("policies"))) {
            m.mergePolicy(policy);
        }
        return m.conflicts.isEmpty() ? new Outcome.Merged(m.text) : new Outcome.Conflicts(List.copyOf(m.conflicts));
    }

    private void mergeSection(Section section, String noun) {
        for (String name : names(section)) {
            Map<String, Object> b = base.value(section, name);
            Map<String, Object> h = head.value(section, name);
            Map<String, Object> w = workspace.value(section, name);
            if (Objects.equals(w, b) || Objects.equals(h, w)) {
                continue;
            }
            if (!Objects.equals(h, b)) {
                conflicts.add(noun + " '" + name + "'" + section.policy().map(p -> " in policy '" + p + "'").orElse(""));
            } else {
                apply(section, name, w);
            }
        }
    }

    private void mergePolicy(String name) {
        Section policies = Section.top("policies");
        Map<String, Object> b = base.value(policies, name);
        Map<String, Object> h = head.value(policies, name);
        Map<String, Object> w = workspace.value(policies, name);
        if (Objects.equals(w, b) || Objects.equals(h, w)) {
            return;
        }
        if (b == null || w == null || h == null) {
            // added or deleted as a whole: only safe when the newest version did not touch it
            if (Objects.equals(h, b)) {
                apply(policies, name, w);
            } else {
                conflicts.add("policy '" + name + "'");
            }
            return;
        }
        Section rules = Section.rulesOf(name);
        if (!sameOrder(base.names(rules), workspace.names(rules))) {
            // the workspace reordered rules: only safe when the newest version left the policy alone
            if (Objects.equals(h, b)) {
                apply(policies, name, w);
            } else {
                conflicts.add("the order of the rules of policy '" + name + "'");
            }
            return;
        }
        mergeSection(rules, "rule");
        Map<String, Object> bAttrs = withoutRules(b);
        Map<String, Object> wAttrs = withoutRules(w);
        Map<String, Object> hAttrs = withoutRules(h);
        if (!bAttrs.equals(wAttrs) && !hAttrs.equals(wAttrs)) {
            if (!hAttrs.equals(bAttrs)) {
                conflicts.add("policy '" + name + "' (its fields other than rules)");
            } else {
                Map<String, Object> merged = new LinkedHashMap<>(wAttrs);
                Optional.ofNullable(new Snapshot(text).value(policies, name)).map(p -> p.get("rules"))
                        .ifPresent(r -> merged.put("rules", r));
                text = YamlObjectEditor.of(text).replace(policies, name, merged);
            }
        }
    }

    /** Makes the current text hold {@code value} (null: nothing) for the object, placed as the workspace places it. */
    private void apply(Section section, String name, Map<String, Object> value) {
        YamlObjectEditor editor = YamlObjectEditor.of(text);
        boolean present = editor.find(section, name).isPresent();
        if (value == null) {
            if (present) {
                text = editor.delete(section, name);
            }
        } else if (present) {
            text = editor.replace(section, name, value);
        } else {
            text = editor.insert(section, value, successor(editor, section, name));
        }
    }

    /** The first object after {@code name} in the workspace's order that the current text also has. */
    private Optional<String> successor(YamlObjectEditor editor, Section section, String name) {
        List<String> order = workspace.names(section);
        for (int i = order.indexOf(name) + 1; i > 0 && i < order.size(); i++) {
            if (editor.find(section, order.get(i)).isPresent()) {
                return Optional.of(order.get(i));
            }
        }
        return Optional.empty();
    }

    /** Names on any side, in the workspace's order first, so insertions follow it. */
    private List<String> names(Section section) {
        Set<String> all = new java.util.LinkedHashSet<>(workspace.names(section));
        all.addAll(base.names(section));
        all.addAll(head.names(section));
        return List.copyOf(all);
    }

    /** Whether the rules both lists hold appear in the same relative order. */
    private static boolean sameOrder(List<String> before, List<String> after) {
        List<String> a = before.stream().filter(after::contains).toList();
        List<String> b = after.stream().filter(before::contains).toList();
        return a.equals(b);
    }

    private static Map<String, Object> withoutRules(Map<String, Object> policy) {
        Map<String, Object> attrs = new LinkedHashMap<>(policy);
        attrs.remove("rules");
        return attrs;
    }

    /** One side of the merge: the objects of one file text, by section and name. */
    private static final class Snapshot {
        private final YamlObjectEditor editor;

        Snapshot(String text) {
            this.editor = YamlObjectEditor.of(text);
        }

        Map<String, Object> value(Section section, String name) {
            return editor.find(section, name).map(Found::value).orElse(null);
        }

        List<String> names(Section section) {
            return editor.list(section).stream().map(f -> String.valueOf(f.value().get("name"))).toList();
        }

    }
}
