package dev.septum.model.load;

import dev.septum.model.validate.Diagnostic;
import dev.septum.model.validate.Diagnostics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * The rules of a file's policies, each read as soon as SnakeYAML has composed its mapping, which the
 * tree then holds only as an empty stand-in. A 10,000-rule policy file composed to some 40 MB of
 * nodes that all stayed alive until the policy was read, and the collector copied them on every
 * young collection meanwhile (a quarter of the compile's wall time); read at once, a rule's nodes die
 * young. A rule is read early only where that reads it exactly as {@link ObjectReaders#policy} would:
 * an item of a top-level policy's {@code rules} list, the policy's {@code name} written before the
 * list (the policy's mode may come later: {@link WrittenRule#inPolicy} applies it), neither the list
 * nor the rule anchored. Every other node stays in the tree and is read as before.
 *
 * <p>A file composed on another thread than the one that reads it ({@link YamlComposer}) hands its
 * rules over once the reader waits for the file: the reader reads them while the rest is composed,
 * so reading overlaps composing. Until then the composing thread reads them itself; handed over
 * while the reader was still busy with other files, they piled up and the collector copied them
 * again.
 */
final class EarlyRules {
    /** Rules handed over together, so the reader wakes once per batch rather than once per rule (not measured apart). */
    private static final int BATCH = 64;
    private static final List<Slot> END = List.of();

    private final String file;
    private final Map<Node, Slot> byStandIn = new IdentityHashMap<>();
    /** Rules composed and not yet read, in batches, then {@link #END}; null when the composing thread reads them itself. */
    private final BlockingQueue<List<Slot>> handedOver;
    /** The batch the composing thread fills. */
    private List<Slot> batch = new ArrayList<>(BATCH);
    private volatile boolean readerWaits;

    private EarlyRules(String file, BlockingQueue<List<Slot>> handedOver) {
        this.file = file;
        this.handedOver = handedOver;
    }

    /** For a file composed on the thread that reads it: each rule is read as soon as it is composed. */
    static EarlyRules readWhileComposing(String file) {
        return new EarlyRules(file, null);
    }

    /** For a file composed on another thread: its rules are read there until the reader waits in {@link #readHandedOver}. */
    static EarlyRules handedOver(String file) {
        return new EarlyRules(file, new LinkedBlockingQueue<>());
    }

    /** A rule read early: what reading its fields gave, and what they reported, in order. */
    record EarlyRule(WrittenRule rule, List<Diagnostic> found) {
    }

    /** One rule's place: its composed mapping until it is read, then what reading it gave. */
    private static final class Slot {
        private MappingNode node;
        private final String policyObject;
        private EarlyRule read;

        Slot(MappingNode node, String policyObject) {
            this.node = node;
            this.policyObject = policyObject;
        }

        void read(EarlyRules rules) {
            Diagnostics found = new Diagnostics();
            WrittenRule rule = ObjectReaders.rule(new YamlFields(rules.file, node, "rule", found, rules), policyObject);
            read = new EarlyRule(rule, found.inFoundOrder());
            node = null;
        }
    }

    /** The rule read in place of this node of the tree, if it stands in for one. */
    Optional<EarlyRule> readFor(Node node) {
        return byStandIn.isEmpty() ? Optional.empty() : Optional.ofNullable(byStandIn.get(node)).map(slot -> slot.read);
    }

    /**
     * Reads the rules the composing thread hands over until it has composed the whole file (or
     * failed). Waiting is not interrupted, as joining the file's composing is not; an interrupt is
     * kept for the caller.
     */
    void readHandedOver() {
        readerWaits = true;
        boolean interrupted = false;
        while (true) {
            List<Slot> slots;
            try {
                slots = handedOver.take();
            } catch (InterruptedException e) {
                interrupted = true;
                continue;
            }
            if (slots == END) {
                break;
            }
            slots.forEach(slot -> slot.read(this));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Composes one document as SnakeYAML's composer would, reading (or handing over) the policies'
     * rules on the way: from {@link YamlTokenizer}'s tokens by {@link TokenComposer} where the text
     * allows, else by SnakeYAML's scanner, parser and composer, which also report what is wrong with
     * a text. Rules read by an attempt that then needed SnakeYAML stay behind stand-ins nothing
     * refers to.
     */
    Optional<Node> compose(LoadSettings settings, String text) {
        try {
            Optional<YamlTokenizer.Tokens> tokens = YamlTokenizer.tokenize(text, settings.getCodePointLimit());
            if (tokens.isPresent()) {
                TokenComposer composer = new TokenComposer(settings, text, tokens.get(), new Path());
                if (composer.compose()) {
                    return composer.root();
                }
            }
            return new ReadingComposer(settings, text, new Path()).getSingleNode();
        } finally {
            if (handedOver != null) {
                handedOver.add(batch);
                handedOver.add(END);
            }
        }
    }

    private void handOver(Slot slot) {
        batch.add(slot);
        if (batch.size() == BATCH) {
            handedOver.add(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Where the composer is: one frame per mapping, sequence, or key whose value is being composed. */
    private sealed interface Frame {
    }

    /** A mapping: its entries so far, and (for a policy) how its rules' diagnostics name it, once looked up. */
    private static final class MappingFrame implements Frame {
        List<NodeTuple> children = List.of();
        Optional<String> policyObject;
    }

    private record SequenceFrame(boolean anchored) implements Frame {
    }

    private record ValueFrame(String key) implements Frame {
    }

    /** A composer's place in the tree, told as it goes, which tells it where a rule begins and takes the rule once composed. */
    final class Path {
        private static final int[] NO_TEXT = {};
        private final Deque<Frame> frames = new ArrayDeque<>();
        private String lastKey;

        void key(Node key) {
            lastKey = key instanceof ScalarNode s ? s.getValue() : null;
        }

        /** Before the value of the last key. */
        void enterValue() {
            frames.push(new ValueFrame(lastKey));
        }

        void enterSequence(boolean anchored) {
            frames.push(new SequenceFrame(anchored));
        }

        /** After a value or a sequence. */
        void exit() {
            frames.pop();
        }

        /** Before a mapping: how its diagnostics name the policy, if the mapping is a rule to read at once. */
        Optional<String> enterMapping(boolean anchored) {
            Optional<String> policyObject = anchored ? Optional.empty() : policyOfRuleItem();
            frames.push(new MappingFrame());
            return policyObject;
        }

        /** The list a mapping's entries go into as they are composed. */
        void children(List<NodeTuple> children) {
            if (frames.peek() instanceof MappingFrame frame) {
                frame.children = children;
            }
        }

        /** After a mapping: the node the tree keeps, a stand-in for a rule (read now or handed over). */
        Node exitMapping(Node node, Optional<String> policyObject) {
            frames.pop();
            if (policyObject.isEmpty()) {
                return node;
            }
            Node standIn = new MappingNode(Tag.MAP, true, new ArrayList<>(0), ((MappingNode) node).getFlowStyle(),
                    node.getStartMark().map(Path::withoutSnippet), Optional.empty());
            Slot slot = new Slot((MappingNode) node, policyObject.get());
            byStandIn.put(standIn, slot);
            if (handedOver == null || !readerWaits) {
                slot.read(EarlyRules.this);
            } else {
                handOver(slot);
            }
            return standIn;
        }

        /**
         * The mark's place without the reader's window of text it points into for error snippets:
         * a stand-in lives as long as its file's tree, and the windows its marks kept alive were a
         * tenth of a 10,000-rule load's live heap, copied by every collection (bench/RESULTS.md, cc6).
         * Nothing reads a node's snippet; diagnostics name line and column.
         */
        private static Mark withoutSnippet(Mark mark) {
            return new Mark(mark.getName(), mark.getIndex(), mark.getLine(), mark.getColumn(), NO_TEXT, 0);
        }

        /**
         * For a mapping about to be composed as an item of a top-level policy's {@code rules} list: the
         * policy as {@link ObjectReaders#described} names it, if its name is already composed.
         * Frames from the top: the rules list, the value of 'rules', the policy, the policies list,
         * the value of 'policies', the document's mapping.
         */
        private Optional<String> policyOfRuleItem() {
            if (frames.size() != 6) {
                return Optional.empty();
            }
            var it = frames.iterator();
            if (it.next() instanceof SequenceFrame rules && !rules.anchored()
                    && it.next() instanceof ValueFrame rulesKey && "rules".equals(rulesKey.key())
                    && it.next() instanceof MappingFrame policy
                    && it.next() instanceof SequenceFrame
                    && it.next() instanceof ValueFrame policiesKey && "policies".equals(policiesKey.key())
                    && it.next() instanceof MappingFrame) {
                return policyName(policy);
            }
            return Optional.empty();
        }

        /** The policy's first 'name' written before its rules, as {@link YamlFields} keeps the first of a repeated key. */
        private static Optional<String> policyName(MappingFrame policy) {
            if (policy.policyObject == null) {
                policy.policyObject = policy.children.stream()
                        .filter(t -> t.getKeyNode() instanceof ScalarNode key && key.getValue().equals("name"))
                        .findFirst()
                        .filter(t -> t.getValueNode() instanceof ScalarNode value && !value.getValue().isBlank())
                        .map(t -> ObjectReaders.described("policy", ((ScalarNode) t.getValueNode()).getValue()));
            }
            return policy.policyObject;
        }
    }

    /** SnakeYAML's composer, telling a {@link Path} where it is. */
    private static final class ReadingComposer extends Composer {
        private final Path path;

        ReadingComposer(LoadSettings settings, String text, Path path) {
            super(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            this.path = path;
        }

        @Override
        protected Node composeKeyNode(MappingNode node) {
            Node key = super.composeKeyNode(node);
            path.key(key);
            return key;
        }

        @Override
        protected Node composeValueNode(MappingNode node) {
            path.enterValue();
            Node value = super.composeValueNode(node);
            path.exit();
            return value;
        }

        @Override
        protected void composeMappingChildren(List<NodeTuple> children, MappingNode node) {
            path.children(children);
            super.composeMappingChildren(children, node);
        }

        @Override
        protected SequenceNode composeSequenceNode(Optional<Anchor> anchor) {
            path.enterSequence(anchor.isPresent());
            SequenceNode node = super.composeSequenceNode(anchor);
            path.exit();
            return node;
        }

        @Override
        protected Node composeMappingNode(Optional<Anchor> anchor) {
            Optional<String> policyObject = path.enterMapping(anchor.isPresent());
            return path.exitMapping(super.composeMappingNode(anchor), policyObject);
        }
    }
}
