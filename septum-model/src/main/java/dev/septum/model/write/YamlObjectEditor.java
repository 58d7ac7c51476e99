package dev.septum.model.write;

import dev.septum.model.PolicyObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Edits one object of one policy file as text: only the object's own lines are replaced, removed
 * or inserted, and every other byte stays as its author wrote it (comments, order, quoting), so an
 * edit made through the API reads in git like an edit made by hand.
 *
 * <p>Objects are the items of a section ({@code groups:}, ..., or a policy's {@code rules:}) and
 * are found by their {@code name}. A section written in flow style ({@code groups: [...]}) is
 * rewritten in block style when one of its items changes, since a flow item has no lines of its own.
 *
 * <p>An object is given either as a model object ({@link #put}, the Policy Builder's way) or as the
 * plain fields of its YAML (the REST API's way, validated afterwards like a hand edit); both are
 * written by {@link YamlText}, in the style of {@link PolicyWriter}.
 */
public final class YamlObjectEditor {
    private static final LoadSettings LOAD = LoadSettings.builder().setAllowDuplicateKeys(true)
            .setMaxAliasesForCollections(50).setCodePointLimit(16 * 1024 * 1024).build();
    private static final Pattern DASH_PREFIX = Pattern.compile(" *- +");

    /** Where a list of objects lives: a top-level section such as {@code groups}, or the rules of one policy. */
    public record Section(String key, Optional<String> policy) {
        public static Section top(String key) {
            return new Section(key, Optional.empty());
        }

        public static Section rulesOf(String policy) {
            return new Section("rules", Optional.of(policy));
        }
    }

    /**
     * One object of a section: its name as written (the loader reads {@code 0x1F} as that text, the
     * plain data as a number), its value as plain Java data, and the 1-based line where it starts.
     */
    public record Found(String name, Map<String, Object> value, int line) {
    }

    /** The text is not YAML this editor can change; the message says where and why. */
    public static final class NotEditable extends RuntimeException {
        private final String file;

        NotEditable(String message) {
            this(message, "");
        }

        private NotEditable(String message, String file) {
            super(message);
            this.file = file;
        }

        /** The same problem, naming the file it is in. */
        public NotEditable in(String fileName) {
            return new NotEditable(getMessage(), fileName);
        }

        /** The file the problem is in, when known. */
        public Optional<String> file() {
            return file.isEmpty() ? Optional.empty() : Optional.of(file);
        }
    }

    private final String text;
    private final Optional<Node> root;
    private final int[] lineStarts;

    private YamlObjectEditor(String text, Optional<Node> root) {
        this.text = text;
        this.root = root;
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Parses {@code text}; invalid YAML is refused with the position of the problem. */
    public static YamlObjectEditor of(String text) {
        try {
            Optional<Node> root = new Compose(LOAD).composeString(text);
            if (root.isPresent() && !(root.get() instanceof MappingNode)) {
                throw new NotEditable("the file is not a mapping of sections such as 'groups:'");
            }
            return new YamlObjectEditor(text, root);
        } catch (org.snakeyaml.engine.v2.exceptions.YamlEngineException e) {
            throw new NotEditable("the file is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Whether the section exists in this file (a policy's rules: whether the policy does). */
    public boolean holds(Section section) {
        return section.policy().isPresent() ? policy(section.policy().get()).isPresent() : sectionKey(rootMap(), section.key()).isPresent();
    }

    /** Every object of the section, in file order. */
    public List<Found> list(Section section) {
        return items(section).stream().map(this::found).toList();
    }

    public Optional<Found> find(Section section, String name) {
        return item(section, name).map(this::found);
    }

    /** The text with the named object replaced by {@code value}. */
    public String replace(Section section, String name, Map<String, Object> value) {
        MappingNode old = item(section, name).orElseThrow(() -> new NotEditable(name + " is not in this file"));
        List<Map<String, Object>> values = new ArrayList<>();
        for (MappingNode n : items(section)) {
            values.add(n == old ? value : toJava(n));
        }
        return blockLines(old).map(lines -> splice(lines[0], lines[1] + 1, YamlText.items(List.of(value), lines[2])))
                .orElseGet(() -> rewriteSequence(section, values));
    }

    /** The text without the named object. */
    public String delete(Section section, String name) {
        MappingNode old = item(section, name).orElseThrow(() -> new NotEditable(name + " is not in this file"));
        List<MappingNode> items = items(section);
        List<Map<String, Object>> rest = items.stream().filter(n -> n != old).map(YamlObjectEditor::toJava).toList();
        if (rest.isEmpty()) {
            return rewriteSequence(section, rest);
        }
        return blockLines(old).map(lines -> splice(lines[0], lines[1] + 1, "")).orElseGet(() -> rewriteSequence(section, rest));
    }

    /** The text with {@code value} added to the section, before the object named {@code before} or at its end. */
    public String insert(Section section, Map<String, Object> value, Optional<String> before) {
        List<MappingNode> items = items(section);
        int at = before.map(b -> items.indexOf(item(section, b).orElseThrow(() -> new NotEditable(b + " is not in this section"))))
                .orElse(items.size());
        Optional<Node> sequence = sequence(section);
        if (sequence.isPresent() && sequence.get() instanceof SequenceNode seq && !items.isEmpty()) {
            MappingNode neighbour = at < items.size() ? items.get(at) : items.getLast();
            Optional<int[]> lines = blockLines(neighbour);
            if (seq.getFlowStyle() == FlowStyle.BLOCK && lines.isPresent()) {
                int line = at < items.size() ? aboveComments(lines.get()[0]) : lines.get()[1] + 1;
                return splice(line, line, YamlText.items(List.of(value), lines.get()[2]));
            }
        }
        List<Map<String, Object>> values = new ArrayList<>(items.stream().map(YamlObjectEditor::toJava).toList());
        values.add(at, value);
        return rewriteSequence(section, values);
    }

    /** The text with {@code object} written in place of its namesake in the section, or appended when it has none. */
    public String put(Section section, PolicyObject object) {
        Map<String, Object> value = fields(section, object);
        return find(section, object.name()).isPresent() ? replace(section, object.name(), value) : insert(section, value, Optional.empty());
    }

    /** The text with {@code object} added to the section, before the object named {@code before} or at its end. */
    public String insert(Section section, PolicyObject object, Optional<String> before) {
        return insert(section, fields(section, object), before);
    }

    private static Map<String, Object> fields(Section section, PolicyObject object) {
        if (!ObjectFields.sectionKey(object).equals(section.key())) {
            throw new IllegalArgumentException(object.name() + " is an item of " + ObjectFields.sectionKey(object)
                    + ", not of " + section.key());
        }
        return ObjectFields.of(object);
    }

    /**
     * The text with a field the named object lacks added on a line of its own, right after the
     * last of the fields {@code after} it has (else after its first field), so every other line
     * stays as written. An object written in flow style is rewritten in block style.
     */
    public String addField(Section section, String name, String key, Object value, List<String> after) {
        MappingNode item = item(section, name).orElseThrow(() -> new NotEditable(name + " is not in this file"));
        if (sectionKey(Optional.of(item), key).isPresent()) {
            throw new NotEditable(name + " already has '" + key + "'");
        }
        List<NodeTuple> fields = item.getValue().stream().filter(t -> t.getKeyNode() instanceof ScalarNode).toList();
        NodeTuple anchor = fields.stream().filter(t -> after.contains(((ScalarNode) t.getKeyNode()).getValue()))
                .reduce((first, second) -> second).orElse(fields.getFirst());
        if (blockLines(item).isEmpty() || item.getFlowStyle() == FlowStyle.FLOW) {
            String anchorKey = ((ScalarNode) anchor.getKeyNode()).getValue();
            Map<String, Object> withField = new LinkedHashMap<>();
            toJava(item).forEach((k, v) -> {
                withField.put(k, v);
                if (k.equals(anchorKey)) {
                    withField.put(key, value);
                }
            });
            return replace(section, name, withField);
        }
        int line = Math.max(lastLine(anchor.getKeyNode()), lastLine(anchor.getValueNode())) + 1;
        return splice(line, line, YamlText.field(key, value, column(item.getStartMark())));
    }

    private Found found(MappingNode n) {
        return new Found(nameOf(n), toJava(n), n.getStartMark().map(m -> m.getLine() + 1).orElse(1));
    }

    /**
     * Writes the section's whole value in block style: used for flow sequences, empty ones and
     * sections the file does not have yet.
     */
    private String rewriteSequence(Section section, List<Map<String, Object>> values) {
        Optional<MappingNode> parent = section.policy().isPresent() ? policy(section.policy().get()) : rootMap();
        if (section.policy().isPresent() && parent.isEmpty()) {
            throw new NotEditable("policy " + section.policy().get() + " is not in this file");
        }
        Optional<NodeTuple> tuple = parent.flatMap(p -> sectionKey(Optional.of(p), section.key()));
        if (tuple.isEmpty()) {
            int column = parent.map(p -> column(p.getStartMark())).orElse(0);
            String block = " ".repeat(column) + section.key() + ":" + (values.isEmpty() ? " []\n" : "\n" + YamlText.items(values, column + 2));
            int line = parent.map(p -> lastLine(p) + 1).orElse(lineStarts.length);
            String prefix = line >= lineStarts.length && !text.isEmpty() && !text.endsWith("\n") ? "\n" : "";
            return splice(line, line, prefix + block);
        }
        Node keyNode = tuple.get().getKeyNode();
        Node value = tuple.get().getValueNode();
        int keyColumn = column(keyNode.getStartMark());
        int keyLine = line(keyNode.getStartMark());
        String head = " ".repeat(keyColumn) + section.key() + ":";
        String body = values.isEmpty() ? head + " []\n" : head + "\n" + YamlText.items(values, keyColumn + 2);
        int last = value instanceof ScalarNode ? keyLine : Math.max(keyLine, lastLine(value));
        return splice(keyLine, last + 1, body);
    }

    /** The first of the comment lines right above {@code line}: a comment belongs to the object below it. */
    private int aboveComments(int line) {
        while (line > 0 && text.substring(offset(line - 1), offset(line)).strip().startsWith("#")) {
            line--;
        }
        return line;
    }

    private String splice(int fromLine, int toLine, String replacement) {
        int from = offset(fromLine);
        int to = offset(toLine);
        String before = text.substring(0, from);
        if (!before.isEmpty() && !before.endsWith("\n")) {
            before += "\n";
        }
        return before + replacement + text.substring(to);
    }

    private int offset(int line) {
        return line >= lineStarts.length ? text.length() : lineStarts[line];
    }

    /**
     * {first line, last line, dash column} of an item of a block list ({@code - name: ...} or
     * {@code - {name: ...}}): its lines hold nothing else, so they can be replaced as a whole.
     */
    private Optional<int[]> blockLines(MappingNode item) {
        int first = line(item.getStartMark());
        int column = column(item.getStartMark());
        String lead = text.substring(offset(first), Math.min(text.length(), offset(first) + column));
        if (!DASH_PREFIX.matcher(lead).matches()) {
            return Optional.empty();
        }
        return Optional.of(new int[] {first, lastLine(item), lead.indexOf('-')});
    }

    /**
     * The last line holding any part of the node. A block collection's end mark points at the next
     * token, possibly lines further down, so the last line is taken from the deepest precise marks.
     */
    private int lastLine(Node node) {
        return switch (node) {
            case MappingNode m when m.getFlowStyle() == FlowStyle.BLOCK -> m.getValue().stream()
                    .mapToInt(t -> Math.max(lastLine(t.getKeyNode()), lastLine(t.getValueNode()))).max().orElse(line(m.getStartMark()));
            case SequenceNode s when s.getFlowStyle() == FlowStyle.BLOCK -> s.getValue().stream()
                    .mapToInt(this::lastLine).max().orElse(line(s.getStartMark()));
            default -> node.getEndMark().map(m -> m.getColumn() == 0 && m.getLine() > line(node.getStartMark())
                    ? m.getLine() - 1 : m.getLine()).orElse(line(node.getStartMark()));
        };
    }

    private static int line(Optional<Mark> mark) {
        return mark.map(Mark::getLine).orElse(0);
    }

    private static int column(Optional<Mark> mark) {
        return mark.map(Mark::getColumn).orElse(0);
    }

    private Optional<MappingNode> rootMap() {
        return root.map(MappingNode.class::cast);
    }

    private static Optional<NodeTuple> sectionKey(Optional<MappingNode> map, String key) {
        return map.flatMap(m -> m.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)).findFirst());
    }

    private Optional<Node> sequence(Section section) {
        Optional<MappingNode> parent = section.policy().isPresent() ? policy(section.policy().get()) : rootMap();
        return sectionKey(parent, section.key()).map(NodeTuple::getValueNode);
    }

    private Optional<MappingNode> policy(String name) {
        return named(sectionKey(rootMap(), "policies").map(NodeTuple::getValueNode), name);
    }

    private List<MappingNode> items(Section section) {
        return mappings(sequence(section));
    }

    private Optional<MappingNode> item(Section section, String name) {
        return named(sequence(section), name);
    }

    private static Optional<MappingNode> named(Optional<Node> sequence, String name) {
        return mappings(sequence).stream().filter(m -> name.equals(nameOf(m))).findFirst();
    }

    private static List<MappingNode> mappings(Optional<Node> sequence) {
        if (sequence.isEmpty() || !(sequence.get() instanceof SequenceNode s)) {
            return List.of();
        }
        return s.getValue().stream().filter(MappingNode.class::isInstance).map(MappingNode.class::cast).toList();
    }

    private static String nameOf(MappingNode m) {
        return sectionKey(Optional.of(m), "name").map(NodeTuple::getValueNode)
                .filter(ScalarNode.class::isInstance).map(n -> ((ScalarNode) n).getValue()).orElse("");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toJava(MappingNode node) {
        Object value = new StandardConstructor(LOAD).constructSingleDocument(Optional.of(node));
        return value instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : new LinkedHashMap<>();
    }
}
