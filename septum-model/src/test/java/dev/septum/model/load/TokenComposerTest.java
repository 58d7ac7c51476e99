package dev.septum.model.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * {@link TokenComposer} against SnakeYAML's parser and composer: wherever it composes a document, the
 * tree is SnakeYAML's (node kinds, tags, styles, values, start and end marks), and wherever SnakeYAML
 * fails it composes nothing. Texts here have no top-level {@code policies}, whose rules are read
 * early and replaced by stand-ins (EarlyRulesTest covers those).
 */
class TokenComposerTest {
    private static final LoadSettings SETTINGS = LoadSettings.builder()
            .setAllowDuplicateKeys(true).setSchema(new FailsafeSchema()).build();

    private static String snakeYaml(String text) {
        try {
            return described(new Composer(SETTINGS, new ParserImpl(SETTINGS, new StreamReader(SETTINGS, text))).getSingleNode());
        } catch (YamlEngineException e) {
            return "FAILED " + e.getMessage();
        }
    }

    /** The tree composed here, or empty when the text is beyond the tokenizer or the tokens need SnakeYAML's parser. */
    private static Optional<String> ours(String text) {
        return YamlTokenizer.tokenize(text, SETTINGS.getCodePointLimit()).flatMap(tokens -> {
            TokenComposer composer = new TokenComposer(SETTINGS, text, tokens, EarlyRules.readWhileComposing("test").new Path());
            return composer.compose() ? Optional.of(described(composer.root())) : Optional.empty();
        });
    }

    private static String described(Optional<Node> root) {
        StringBuilder out = new StringBuilder();
        root.ifPresentOrElse(node -> describe(node, "", out), () -> out.append("no document"));
        return out.toString();
    }

    private static void describe(Node node, String indent, StringBuilder out) {
        out.append(indent).append(node.getClass().getSimpleName()).append(' ').append(node.getTag())
                .append(' ').append(at(node.getStartMark())).append('-').append(at(node.getEndMark()));
        switch (node) {
            case ScalarNode s -> out.append(' ').append(s.getScalarStyle()).append(" [").append(s.getValue()).append("]\n");
            case SequenceNode s -> {
                out.append(' ').append(s.getFlowStyle()).append('\n');
                s.getValue().forEach(child -> describe(child, indent + "  ", out));
            }
            case MappingNode m -> {
                out.append(' ').append(m.getFlowStyle()).append('\n');
                m.getValue().forEach(t -> {
                    describe(t.getKeyNode(), indent + "  ? ", out);
                    describe(t.getValueNode(), indent + "  : ", out);
                });
            }
            default -> out.append(" other\n");
        }
    }

    private static String at(Optional<Mark> mark) {
        return mark.map(m -> m.getIndex() + "@" + m.getLine() + ":" + m.getColumn()).orElse("none");
    }

    /** True when composed here; fails when the trees differ or SnakeYAML failed where this composed. */
    private static boolean sameAsSnakeYaml(String text) {
        Optional<String> ours = ours(text);
        if (ours.isEmpty()) {
            return false;
        }
        assertEquals(snakeYaml(text), ours.get(), "tree of:\n" + text);
        return true;
    }

    @Test
    void everyExampleFileComposesAsWithSnakeYaml() throws IOException {
        for (Path file : YamlSamples.exampleFiles()) {
            String text = Files.readString(file).replace("policies:", "policy-list:");
            assertTrue(sameAsSnakeYaml(text), file + " was not composed here");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "# nothing\n",
        "a: b",
        "a:\n  b:\n  c: d\n",
        "a:\n- b\n-\n- - c\n  -\nd:\n",
        "- a\n- b: c\n  d:\n- {e: f, g, h: }\n",
        "a: [b, c: d, [e], {f: g}, ]\nh: {i, j: [k], l: }\n",
        "a: [b: , c]\n",
        "[a, b]\n",
        "{a: b}\n",
        "a: 'q' # c\nb: \"d\\\"e\"\n",
        "k: {a: b,\n  c: [d,\n e]}\n",
    })
    void coveredTextsComposeAsWithSnakeYaml(String text) {
        assertTrue(sameAsSnakeYaml(text), "not composed here: " + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "- a\nb: c\n",          // expected <block end>, but found '?'
        "a: b\n- c\n",
        "[a] b\n",
        "a: [b c: d\n",
        "{[a]: b}\n",           // a key that is not a scalar
        "[a, b]]\n",
        "a\n---\n",
    })
    void textsSnakeYamlRefusesAreNotComposed(String text) {
        assertTrue(ours(text).isEmpty(), "composed here: " + text);
    }

    @Test
    void randomDocumentsComposeAsWithSnakeYamlOrNotAtAll() {
        List<String> documents = YamlSamples.randomDocuments(29, 20_000);
        long composed = documents.stream().filter(TokenComposerTest::sameAsSnakeYaml).count();
        // the generator is meant to hit both sides; a composer that gave up everywhere would pass the rest
        assertTrue(composed > documents.size() / 10, "composed here: " + composed + " of " + documents.size());
        assertTrue(composed < documents.size(), "composed here: all " + documents.size());
    }

    @Test
    void aGeneratedTenThousandRuleFileComposesAsWithSnakeYaml() {
        assertTrue(sameAsSnakeYaml(YamlSamples.tenThousandRules().replace("policies:", "policy-list:")));
    }
}
