package dev.septum.model.load;

import static dev.septum.model.load.YamlTokenizer.BLOCK_END;
import static dev.septum.model.load.YamlTokenizer.BLOCK_ENTRY;
import static dev.septum.model.load.YamlTokenizer.BLOCK_MAPPING_START;
import static dev.septum.model.load.YamlTokenizer.BLOCK_SEQUENCE_START;
import static dev.septum.model.load.YamlTokenizer.FLOW_ENTRY;
import static dev.septum.model.load.YamlTokenizer.FLOW_MAPPING_END;
import static dev.septum.model.load.YamlTokenizer.FLOW_MAPPING_START;
import static dev.septum.model.load.YamlTokenizer.FLOW_SEQUENCE_END;
import static dev.septum.model.load.YamlTokenizer.FLOW_SEQUENCE_START;
import static dev.septum.model.load.YamlTokenizer.KEY;
import static dev.septum.model.load.YamlTokenizer.PLAIN;
import static dev.septum.model.load.YamlTokenizer.STREAM_END;
import static dev.septum.model.load.YamlTokenizer.VALUE;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Composes {@link YamlTokenizer}'s tokens into the node tree SnakeYAML's parser and composer would
 * make of them (same nodes, tags, styles and marks), without their events: each production of
 * SnakeYAML's parser for these tokens is a method here that makes its node at once. Where the
 * tokens do not make a document (what SnakeYAML's parser or composer would refuse), it composes
 * nothing and the caller has SnakeYAML read the text and say what is wrong. After the scanner, the
 * parser's events and the composer were most of what was left of composing a 10,000-rule file
 * (bench/RESULTS.md, "Policy files composed without SnakeYAML"). {@code TokenComposerTest} holds the
 * two to the same trees.
 */
final class TokenComposer {
    /** Thrown where the tokens leave what SnakeYAML composes; never leaves this class. */
    private static final class ParserNeeded extends RuntimeException {
        ParserNeeded() {
            super(null, null, false, false);
        }
    }

    private static final ParserNeeded PARSER_NEEDED = new ParserNeeded();

    private final TokenText text;
    private final byte[] kinds;
    private final int[] starts;
    private final int[] ends;
    private final ScalarResolver resolver;
    private final EarlyRules.Path path;
    private int next;
    private Optional<Node> root;

    TokenComposer(LoadSettings settings, String text, YamlTokenizer.Tokens tokens, EarlyRules.Path path) {
        this.text = new TokenText(text, settings.getLabel(), tokens);
        this.kinds = tokens.kinds();
        this.starts = tokens.starts();
        this.ends = tokens.ends();
        this.resolver = settings.getSchema().getScalarResolver();
        this.path = path;
    }

    /** Whether the tokens made a document (then {@link #root} is it), or SnakeYAML's parser is needed. */
    boolean compose() {
        try {
            root = document();
            return true;
        } catch (ParserNeeded needed) {
            return false;
        }
    }

    /** The document's node, or empty for a text without one. */
    Optional<Node> root() {
        return root;
    }

    private Optional<Node> document() {
        next = 1; // after the stream's start
        if (kind() == STREAM_END) {
            return Optional.empty();
        }
        Node node = node(true, false);
        if (kind() != STREAM_END) {
            throw PARSER_NEEDED; // a second document, or tokens after the first
        }
        return Optional.of(node);
    }

    private byte kind() {
        return kinds[next];
    }

    private Node node(boolean block, boolean indentless) {
        byte kind = kind();
        if (kind >= PLAIN) {
            return scalar();
        }
        if (indentless && kind == BLOCK_ENTRY) {
            return indentlessSequence();
        }
        if (kind == FLOW_SEQUENCE_START) {
            return flowSequence();
        }
        if (kind == FLOW_MAPPING_START) {
            return flowMapping();
        }
        if (block && kind == BLOCK_SEQUENCE_START) {
            return blockSequence();
        }
        if (block && kind == BLOCK_MAPPING_START) {
            return blockMapping();
        }
        throw PARSER_NEEDED; // expected the node content
    }

    private Node scalar() {
        int token = next++;
        String value = text.value(token);
        return new ScalarNode(resolver.resolve(value, kinds[token] == PLAIN), true, value, text.style(token),
                text.mark(starts[token]), text.mark(ends[token]));
    }

    private Node empty(Optional<Mark> at) {
        return new ScalarNode(resolver.resolve("", true), true, "", ScalarStyle.PLAIN, at, at);
    }

    private Node blockMapping() {
        Optional<Mark> start = text.mark(starts[next++]);
        Optional<String> policy = path.enterMapping(false);
        List<NodeTuple> children = new ArrayList<>();
        path.children(children);
        MappingNode mapping = new MappingNode(Tag.MAP, true, children, FlowStyle.BLOCK, start, Optional.empty());
        while (kind() == KEY) {
            Node key = key();
            int indicator = next - 1;
            enterValue(key);
            children.add(new NodeTuple(key, blockNodeAfterKeyOrValue() ? node(true, true) : empty(text.mark(ends[indicator]))));
            path.exit();
        }
        mapping.setEndMark(end(BLOCK_END));
        return path.exitMapping(mapping, policy);
    }

    private boolean blockNodeAfterKeyOrValue() {
        byte kind = kind();
        return kind != KEY && kind != VALUE && kind != BLOCK_END;
    }

    private Node blockSequence() {
        Optional<Mark> start = text.mark(starts[next++]);
        path.enterSequence(false);
        List<Node> children = new ArrayList<>();
        SequenceNode sequence = new SequenceNode(Tag.SEQ, true, children, FlowStyle.BLOCK, start, Optional.empty());
        while (kind() == BLOCK_ENTRY) {
            int entry = next++;
            children.add(kind() != BLOCK_ENTRY && kind() != BLOCK_END ? node(true, false) : empty(text.mark(ends[entry])));
        }
        sequence.setEndMark(end(BLOCK_END));
        path.exit();
        return sequence;
    }

    /** A sequence at its mapping's indentation: it ends before the first token that is not an entry. */
    private Node indentlessSequence() {
        Optional<Mark> start = text.mark(starts[next]);
        path.enterSequence(false);
        List<Node> children = new ArrayList<>();
        SequenceNode sequence = new SequenceNode(Tag.SEQ, true, children, FlowStyle.BLOCK, start, Optional.empty());
        while (kind() == BLOCK_ENTRY) {
            int entry = next++;
            children.add(blockNodeAfterKeyOrValue() && kind() != BLOCK_ENTRY ? node(true, false) : empty(text.mark(ends[entry])));
        }
        sequence.setEndMark(text.mark(ends[next]));
        path.exit();
        return sequence;
    }

    private Node flowSequence() {
        Optional<Mark> start = text.mark(starts[next++]);
        path.enterSequence(false);
        List<Node> children = new ArrayList<>();
        SequenceNode sequence = new SequenceNode(Tag.SEQ, true, children, FlowStyle.FLOW, start, Optional.empty());
        boolean first = true;
        while (kind() != FLOW_SEQUENCE_END) {
            if (!first) {
                expect(FLOW_ENTRY);
            }
            if (kind() == KEY) {
                children.add(singlePairMapping());
            } else if (kind() != FLOW_SEQUENCE_END) {
                children.add(node(false, false));
            }
            first = false;
        }
        sequence.setEndMark(end(FLOW_SEQUENCE_END));
        path.exit();
        return sequence;
    }

    /** {@code [a: b]}: a mapping of one entry inside a flow sequence, ending before the token after it. */
    private Node singlePairMapping() {
        Optional<Mark> start = text.mark(starts[next]);
        Optional<String> policy = path.enterMapping(false);
        List<NodeTuple> children = new ArrayList<>(1);
        path.children(children);
        MappingNode mapping = new MappingNode(Tag.MAP, true, children, FlowStyle.FLOW, start, Optional.empty());
        Node key = key();
        enterValue(key);
        children.add(new NodeTuple(key, flowValue(FLOW_SEQUENCE_END)));
        path.exit();
        mapping.setEndMark(text.mark(ends[next]));
        return path.exitMapping(mapping, policy);
    }

    private Node flowMapping() {
        Optional<Mark> start = text.mark(starts[next++]);
        Optional<String> policy = path.enterMapping(false);
        List<NodeTuple> children = new ArrayList<>();
        path.children(children);
        MappingNode mapping = new MappingNode(Tag.MAP, true, children, FlowStyle.FLOW, start, Optional.empty());
        boolean first = true;
        while (kind() != FLOW_MAPPING_END) {
            if (!first) {
                expect(FLOW_ENTRY);
            }
            if (kind() == KEY) {
                Node key = key();
                enterValue(key);
                children.add(new NodeTuple(key, flowValue(FLOW_MAPPING_END)));
                path.exit();
            } else if (kind() != FLOW_MAPPING_END) {
                Node key = node(false, false);
                enterValue(key);
                children.add(new NodeTuple(key, empty(text.mark(starts[next]))));
                path.exit();
            }
            first = false;
        }
        mapping.setEndMark(end(FLOW_MAPPING_END));
        return path.exitMapping(mapping, policy);
    }

    /**
     * A key token, its scalar and the value indicator after it: {@link YamlTokenizer} makes a key
     * token only in front of a scalar followed by ':'.
     */
    private Node key() {
        next++;
        Node key = scalar();
        next++;
        return key;
    }

    /** A flow entry's value after its indicator, or empty where the entry ends at once. */
    private Node flowValue(byte collectionEnd) {
        int indicator = next - 1;
        return kind() != FLOW_ENTRY && kind() != collectionEnd ? node(false, false) : empty(text.mark(ends[indicator]));
    }

    /** SnakeYAML's composer takes only scalar keys (non-scalar keys are not allowed in its settings): {@code {[a]}} is not one. */
    private void enterValue(Node key) {
        if (!(key instanceof ScalarNode)) {
            throw PARSER_NEEDED;
        }
        path.key(key);
        path.enterValue();
    }

    private void expect(byte kind) {
        if (kind() != kind) {
            throw PARSER_NEEDED;
        }
        next++;
    }

    /** Takes the collection's closing token: the collection's end mark is where it ends. */
    private Optional<Mark> end(byte kind) {
        if (kind() != kind) {
            throw PARSER_NEEDED;
        }
        return text.mark(ends[next++]);
    }
}
