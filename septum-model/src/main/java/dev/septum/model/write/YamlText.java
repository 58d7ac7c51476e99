package dev.septum.model.write;

import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.StreamDataWriter;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/**
 * Plain Java data (maps, lists, strings, numbers, booleans) as YAML text in the examples' style:
 * objects one field per line, lists of plain values on one line ({@code sources: [web01, web02]}),
 * small mappings of plain values on one line ({@code categories: {tier: web}}). Quoting is the YAML
 * emitter's, so a value that looks like syntax ({@code a: b}, {@code #x}, {@code null}) stays text.
 */
public final class YamlText {
    /** Wider than any line a policy holds: a long description stays on one line instead of folding. */
    private static final int WIDTH = 4096;
    private static final DumpSettings DUMP = DumpSettings.builder().setIndent(2).setIndicatorIndent(2)
            .setIndentWithIndicator(true).setWidth(WIDTH).build();

    private YamlText() {
    }

    /** The items of a section as block lines ({@code - name: ...}), the dash of each at {@code column}. */
    public static String items(List<Map<String, Object>> values, int column) {
        // the emitter indents even the outermost list by the indicator indent; the caller places it
        return indented(dump(values).lines().map(l -> l.startsWith("  ") ? l.substring(2) : l).toList(), column);
    }

    /** One field of a mapping ({@code id: 257}) as lines starting at {@code column}. */
    static String field(String key, Object value, int column) {
        return indented(dump(Map.of(key, value)).lines().toList(), column);
    }

    private static String indented(List<String> lines, int column) {
        String indent = " ".repeat(column);
        StringBuilder indented = new StringBuilder();
        lines.forEach(l -> indented.append(l.isEmpty() ? "" : indent).append(l).append('\n'));
        return indented.toString();
    }

    private static String dump(Object data) {
        Node node = new StandardRepresenter(DUMP).represent(data);
        style(node, false);
        StringBuilder out = new StringBuilder();
        new Dump(DUMP).dumpNode(node, new StreamDataWriter() {
            @Override
            public void write(String str) {
                out.append(str);
            }

            @Override
            public void write(String str, int off, int len) {
                out.append(str, off, off + len);
            }
        });
        return out.toString();
    }

    /** A section with its items, e.g. {@code groups:} and one item per group. */
    public static String section(String key, List<Map<String, Object>> values) {
        return values.isEmpty() ? key + ": []\n" : key + ":\n" + items(values, 2);
    }

    /** A whole file: its sections in order, a blank line between two, empty sections left out. */
    static String document(SequencedMap<String, List<Map<String, Object>>> sections) {
        return String.join("\n", sections.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> section(e.getKey(), e.getValue())).toList());
    }

    private static void style(Node node, boolean isFieldValue) {
        switch (node) {
            case MappingNode m -> {
                boolean plain = isFieldValue && !m.getValue().isEmpty()
                        && m.getValue().stream().allMatch(t -> t.getValueNode() instanceof ScalarNode);
                m.setFlowStyle(plain ? FlowStyle.FLOW : FlowStyle.BLOCK);
                m.getValue().forEach(t -> style(t.getValueNode(), true));
            }
            case SequenceNode s -> {
                boolean plain = !s.getValue().isEmpty() && s.getValue().stream().allMatch(ScalarNode.class::isInstance);
                s.setFlowStyle(plain ? FlowStyle.FLOW : FlowStyle.BLOCK);
                s.getValue().forEach(item -> style(item, false));
            }
            default -> {
            }
        }
    }
}
