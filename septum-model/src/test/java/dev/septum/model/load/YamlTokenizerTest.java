package dev.septum.model.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.scanner.ScannerImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.tokens.ScalarToken;
import org.snakeyaml.engine.v2.tokens.Token;

/**
 * {@link YamlTokenizer} against SnakeYAML's own scanner: wherever it gives tokens they are SnakeYAML's
 * (kind, marks, value, style, as {@link TokenText} reads them), and wherever SnakeYAML's scanner fails
 * it gives none.
 */
class YamlTokenizerTest {
    private static final LoadSettings SETTINGS = LoadSettings.builder().build();

    /** What SnakeYAML's scanner gives for the text, token by token, or the failure's message. */
    private static List<String> snakeYaml(String text) {
        return described(new ScannerImpl(SETTINGS, new StreamReader(SETTINGS, text)));
    }

    /** The token kinds' names as SnakeYAML's token ids, by kind. */
    private static final Token.ID[] IDS = {
        Token.ID.StreamStart, Token.ID.StreamEnd, Token.ID.BlockMappingStart, Token.ID.BlockSequenceStart,
        Token.ID.BlockEntry, Token.ID.BlockEnd, Token.ID.Key, Token.ID.Value, Token.ID.FlowSequenceStart,
        Token.ID.FlowSequenceEnd, Token.ID.FlowMappingStart, Token.ID.FlowMappingEnd, Token.ID.FlowEntry,
        Token.ID.Scalar, Token.ID.Scalar, Token.ID.Scalar};

    private static Optional<List<String>> ours(String text) {
        return YamlTokenizer.tokenize(text, SETTINGS.getCodePointLimit()).map(tokens -> {
            TokenText described = new TokenText(text, "reader", tokens);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < tokens.count(); i++) {
                byte kind = tokens.kinds()[i];
                String value = kind >= YamlTokenizer.PLAIN
                        ? " " + described.style(i) + " " + (kind == YamlTokenizer.PLAIN) + " [" + described.value(i) + "]" : "";
                out.add(IDS[kind] + " " + at(described.mark(tokens.starts()[i])) + "-" + at(described.mark(tokens.ends()[i])) + value);
            }
            return out;
        });
    }

    private static List<String> described(ScannerImpl scanner) {
        List<String> out = new ArrayList<>();
        try {
            while (scanner.checkToken()) {
                Token t = scanner.next();
                String value = t instanceof ScalarToken s ? " " + s.getStyle() + " " + s.isPlain() + " [" + s.getValue() + "]" : "";
                out.add(t.getTokenId() + " " + at(t.getStartMark()) + "-" + at(t.getEndMark()) + value);
            }
        } catch (YamlEngineException e) {
            out.add("FAILED " + e.getMessage());
        }
        return out;
    }

    private static String at(Optional<Mark> mark) {
        return mark.map(m -> m.getIndex() + "@" + m.getLine() + ":" + m.getColumn()).orElse("none");
    }

    /** True when the text was tokenized here; fails when the tokens differ or SnakeYAML fails where this did not. */
    private static boolean sameAsSnakeYaml(String text) {
        Optional<List<String>> ours = ours(text);
        if (ours.isEmpty()) {
            return false;
        }
        List<String> theirs = snakeYaml(text);
        if (!theirs.equals(ours.get())) {
            fail("tokens differ for:\n" + text + "\n--- SnakeYAML:\n" + String.join("\n", theirs)
                    + "\n--- YamlTokenizer:\n" + String.join("\n", ours.get()));
        }
        return true;
    }

    @Test
    void everyExamplePolicyFileIsTokenizedAsSnakeYamlDoes() throws IOException {
        for (Path file : YamlSamples.exampleFiles()) {
            assertTrue(sameAsSnakeYaml(Files.readString(file)), file + " was not tokenized here");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "# only a comment\n",
        "a: b",
        "a: b\n",
        "a:\n  b: c\n  d:\n    - e\n    - f: g\n      h: i\n",
        "a:\n- b\n- c\nd: e\n",
        "- a\n- b: c\n  d: e\n-  f\n",
        "- - a\n  - b\n- c\n",
        "rules:\n  - {name: r1, sources: [g1, 'g 2'], action: forward}   # trailing\n",
        "a: [2001:db8::/32, fe80::1, 10.0.0.1/24]\n",
        "a: {b: c:d, e: [f]}\n",
        "a: 'it''s'\nb: \"say \\\"hi\\\" \\\\ \\/ \\n\"\n",
        "a: b # c\n\n\n# d\ne:  f  \n",
        "a: x:y\nb: :z\nc: -1\nd: -x\ne: ?q\n",
        "a: b c d\n",
        "key with spaces: value with spaces\n",
        "a:\n  # comment at depth\nb: c\n",
        "a: b\n  # deeper comment\nc: d\n",
        "a: é ü ✓\n",
        "a: b#c\n",
        "a: []\nb: {}\nc: [[]]\n",
        "[a, b]\n",
        "{a: b}\n",
        "a: 'x' \nb: \"y\"\n",
        "a:    \n",
        "a:\n",
        "- \n- a\n",
        "a: [b,\n  c]\n",
        "a: {b: c,\n# comment\n  d: [e\n , f], g: h\n  }\ni: j\n",
        "- a\nb: c\n",             // the parser, not the scanner, refuses it
    })
    void coveredTextsGiveSnakeYamlsTokens(String text) {
        assertTrue(sameAsSnakeYaml(text), "not tokenized here: " + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a: b\n  c\n",                // a plain scalar over two lines
        "a: 'b\n  c'\n",              // a quoted one
        "a: [b\n  c]\n",              // a plain one in a flow collection
        "a: &x b\nc: *x\n",
        "a: !!str b\n",
        "a: |\n  b\n",
        "a: >\n  b\n",
        "---\na: b\n",
        "a: b\n...\n",
        "%YAML 1.2\n---\na: b\n",
        "? a\n: b\n",
        "a:\tb\n",
        "a: b\r\n",
        "\uFEFFa: b\n",
        "a: \"\\x41\"\n",
        "a: \"\\u0041\"\n",
        "a: b\n c: d\n",               // SnakeYAML: mapping values are not allowed here
        "a b\nc: d\n",
        "a: @b\n",
        "a: `b\n",
        "a: b: c\n",
        "]\n",
        "a: 'b\n",
    })
    void textsBeyondTheTokenizerGiveNone(String text) {
        assertTrue(ours(text).isEmpty(), "tokenized here: " + text);
    }

    @Test
    void nestingDeeperThanSixtyFourBlocksOrSixteenFlowsIsLeftToSnakeYaml() {
        StringBuilder blocks = new StringBuilder();
        for (int level = 0; level < 65; level++) {
            blocks.append(" ".repeat(level)).append("k:\n");
        }
        assertTrue(ours(blocks.toString()).isEmpty());
        assertTrue(ours("a: " + "[".repeat(17) + "]".repeat(17) + "\n").isEmpty());
        assertTrue(sameAsSnakeYaml("a: " + "[".repeat(16) + "]".repeat(16) + "\n"));
    }

    /**
     * Random documents from fragments of valid and invalid YAML: every one this class tokenizes has
     * SnakeYAML's tokens, and SnakeYAML fails on none of them.
     */
    @Test
    void randomDocumentsGiveSnakeYamlsTokensOrNone() {
        List<String> documents = YamlSamples.randomDocuments(17, 20_000);
        long covered = documents.stream().filter(YamlTokenizerTest::sameAsSnakeYaml).count();
        // the generator is meant to hit both sides; a tokenizer that gave up everywhere would pass the rest
        assertTrue(covered > documents.size() / 10, "tokenized here: " + covered + " of " + documents.size());
        assertTrue(covered < documents.size(), "tokenized here: all " + documents.size());
    }

    @Test
    void aGeneratedTenThousandRulePolicyIsTokenizedAsSnakeYamlDoes() {
        String text = YamlSamples.tenThousandRules();
        assertTrue(sameAsSnakeYaml(text));
        assertEquals(snakeYaml(text).size(), ours(text).orElseThrow().size());
    }
}
