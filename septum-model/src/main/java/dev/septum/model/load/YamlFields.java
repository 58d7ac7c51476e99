package dev.septum.model.load;

import dev.septum.model.SourceLocation;
import dev.septum.model.validate.Diagnostics;
import dev.septum.model.validate.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Typed access to the fields of one YAML mapping. Every wrong type, missing field or unknown key
 * becomes a diagnostic naming the object and the field; reading never throws.
 */
final class YamlFields {
    private final String file;
    private final Node node;
    private final Map<String, NodeTuple> fields = new LinkedHashMap<>();
    private final Diagnostics out;
    private final EarlyRules early;
    private String object;

    /** @param early the rules of this mapping's file read while it was composed */
    YamlFields(String file, Node node, String object, Diagnostics out, EarlyRules early) {
        this.file = file;
        this.node = node;
        this.object = object;
        this.out = out;
        this.early = early;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    if (fields.putIfAbsent(key.getValue(), tuple) != null) {
                        out.error(location(key), object, key.getValue(), "is given twice",
                                "keep one of the two entries");
                    }
                } else {
                    out.error(location(tuple.getKeyNode()), object, "", "has a key that is not a plain word",
                            "use plain field names such as 'name'");
                }
            }
        } else {
            out.error(location(node), object, "", "is not a mapping of fields", "write it as 'field: value' lines");
        }
    }

    /** The rule {@link EarlyRules} read in this mapping's place, with its findings added to this file's. */
    Optional<WrittenRule> earlyRule() {
        return early.readFor(node).map(rule -> {
            out.addAll(rule.found());
            return rule.rule();
        });
    }

    /** Names the object in later diagnostics, once its name is known. */
    void describeAs(String object) {
        this.object = object;
    }

    String object() {
        return object;
    }

    Diagnostics diagnostics() {
        return out;
    }

    SourceLocation at() {
        return location(node);
    }

    SourceLocation at(String key) {
        return Optional.ofNullable(fields.get(key)).map(t -> location(t.getValueNode())).orElse(at());
    }

    boolean has(String key) {
        return fields.containsKey(key);
    }

    SourceLocation location(Node n) {
        return n.getStartMark()
                .map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
                .orElseGet(() -> SourceLocation.of(file));
    }

    Optional<Scalar> scalar(String key) {
        NodeTuple tuple = fields.get(key);
        if (tuple == null) {
            return Optional.empty();
        }
        if (tuple.getValueNode() instanceof ScalarNode s) {
            return Optional.of(new Scalar(s.getValue(), location(s)));
        }
        out.error(location(tuple.getValueNode()), object, key, "must be a single value, not a list or mapping",
                "write '" + key + ": value'");
        return Optional.empty();
    }

    Optional<String> string(String key) {
        return scalar(key).map(Scalar::text);
    }

    String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    Optional<Scalar> required(String key, String fix) {
        if (!fields.containsKey(key)) {
            out.error(at(), object, key, "is missing", fix);
            return Optional.empty();
        }
        return scalar(key).filter(s -> {
            if (s.text().isBlank()) {
                out.error(s.at(), object, key, "is empty", fix);
                return false;
            }
            return true;
        });
    }

    Optional<Long> integer(String key, long min, long max) {
        return scalar(key).flatMap(s -> {
            try {
                long v = Long.parseLong(s.text().trim());
                if (v >= min && v <= max) {
                    return Optional.of(v);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            out.error(s.at(), object, key, "'" + s.text() + "' is not a whole number from " + min + " to " + max,
                    "write a number such as " + min);
            return Optional.empty();
        });
    }

    boolean bool(String key, boolean fallback) {
        return scalar(key).map(s -> switch (s.text()) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                out.error(s.at(), object, key, "'" + s.text() + "' is not true or false", "write true or false");
                yield fallback;
            }
        }).orElse(fallback);
    }

    /** A value or a list of values; a scalar with commas is split (so {@code 80,443} works too). */
    List<Scalar> scalars(String key) {
        NodeTuple tuple = fields.get(key);
        if (tuple == null) {
            return List.of();
        }
        List<Scalar> result = new ArrayList<>();
        switch (tuple.getValueNode()) {
            case ScalarNode s -> splitInto(s, result);
            case SequenceNode seq -> {
                for (Node item : seq.getValue()) {
                    if (item instanceof ScalarNode s) {
                        splitInto(s, result);
                    } else {
                        out.error(location(item), object, key, "holds a nested list or mapping",
                                "list plain values, e.g. [a, b]");
                    }
                }
            }
            default -> out.error(location(tuple.getValueNode()), object, key, "must be a value or a list of values",
                    "write '" + key + ": [a, b]'");
        }
        return result;
    }

    private void splitInto(ScalarNode s, List<Scalar> result) {
        SourceLocation at = location(s);
        String value = s.getValue();
        if (value.indexOf(',') < 0) { // most values: no array and no substring for the one part
            if (!value.isBlank()) {
                result.add(new Scalar(value.trim(), at));
            }
            return;
        }
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                result.add(new Scalar(part.trim(), at));
            }
        }
    }

    /** A list of mappings, each wrapped for field access. */
    List<YamlFields> objects(String key, String kind) {
        NodeTuple tuple = fields.get(key);
        if (tuple == null) {
            return List.of();
        }
        if (!(tuple.getValueNode() instanceof SequenceNode seq)) {
            out.error(location(tuple.getValueNode()), object, key, "must be a list",
                    "start each " + kind + " with '- name: ...'");
            return List.of();
        }
        return seq.getValue().stream().map(n -> new YamlFields(file, n, kind, out, early)).toList();
    }

    /** A nested mapping, e.g. a group's {@code source:}, named in diagnostics as this object's field. */
    Optional<YamlFields> mapping(String key) {
        NodeTuple tuple = fields.get(key);
        return tuple == null ? Optional.empty()
                : Optional.of(new YamlFields(file, tuple.getValueNode(), object + " " + key, out, early));
    }

    Map<String, Scalar> stringMap(String key) {
        NodeTuple tuple = fields.get(key);
        Map<String, Scalar> result = new LinkedHashMap<>();
        if (tuple == null) {
            return result;
        }
        YamlFields nested = new YamlFields(file, tuple.getValueNode(), object + " " + key, out, early);
        for (String k : nested.fields.keySet()) {
            nested.scalar(k).ifPresent(v -> result.put(k, v));
        }
        return result;
    }

    /** Reports keys this kind of object does not have, with the closest known key. */
    void rejectUnknown(Set<String> known) {
        fields.forEach((key, tuple) -> {
            if (!known.contains(key)) {
                out.error(location(tuple.getKeyNode()), object, key, "is not a known field",
                        Suggestions.fix(key, known, "known fields are " + String.join(", ", known.stream().sorted().toList())));
            }
        });
    }
}
