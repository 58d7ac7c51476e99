package dev.septum.model.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** YAML texts to hold {@link YamlTokenizer} and {@link TokenComposer} to SnakeYAML's own scanner, parser and composer. */
final class YamlSamples {
    private static final String[] SCALARS = {"x", "abc", "10.0.0.1/24", "2001:db8::/32", "fe80::", "a b", "a:b", "a#b",
        "a #b", "-1", "-x", "- x", "?x", ":x", "a,b", "a]b", "a}b", "'q'", "'it''s'", "\"q\"", "\"a\\\"b\"", "\"\\t\"", "é",
        "", " ", "x ", "@x", "%x", "a: b", "{x}", "[x]", "[a, b]", "{a: b}", "{a: [b, c]}", "[a: b]", "[]", "{}", "'a: b'",
        "# c", "&a x", "*a", "!t x", "|", "a\\b", "'", "\"", ",", "[a,]", "{a}", "[, a]", "{a: b,\n  c: d}", "[a,\n b]",
        "[a: b, c]", "{a, b: c}", "[[a]]", "{[a]: b}"};
    private static final String[] SHAPES = {"K: V", "K:", "- V", "- K: V", "-", "K: V # c", "# comment", "", "K : V",
        "- - V", "V", "K: V: V", "---", "...", "? K", "K: - V", "- K:", "K:  V  ", "   ", "[V, V]: V", "K: [V, V]",
        "{K: V, K: V}", "- {K: V}", "K: {K: V, K: [V]}"};

    private YamlSamples() {
    }

    /** Every YAML file under examples/. */
    static List<Path> exampleFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("../examples"))) {
            files = walk.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 10, "examples found: " + files);
        return files;
    }

    /** Documents of one to six lines of random shapes, keys and values, valid YAML and not, the same for the same seed. */
    static List<String> randomDocuments(long seed, int count) {
        Random random = new Random(seed);
        List<String> documents = new ArrayList<>(count);
        for (int d = 0; d < count; d++) {
            StringBuilder text = new StringBuilder();
            int lines = 1 + random.nextInt(6);
            for (int l = 0; l < lines; l++) {
                text.append(" ".repeat(random.nextInt(4) * (random.nextBoolean() ? 1 : 2)));
                for (char c : SHAPES[random.nextInt(SHAPES.length)].toCharArray()) {
                    if (c == 'K') {
                        text.append(random.nextInt(3) == 0 ? SCALARS[random.nextInt(SCALARS.length)] : "k" + random.nextInt(3));
                    } else if (c == 'V') {
                        text.append(SCALARS[random.nextInt(SCALARS.length)]);
                    } else {
                        text.append(c);
                    }
                }
                if (l < lines - 1 || random.nextBoolean()) {
                    text.append('\n');
                }
            }
            documents.add(text.toString());
        }
        return documents;
    }

    /** A policy file of 10,000 rules, most in flow style, every seventh in block style with a comment. */
    static String tenThousandRules() {
        StringBuilder text = new StringBuilder("# generated\npolicies:\n  - name: bench\n    domain: bench\n    vrf: ALL\n    rules:\n");
        Random random = new Random(3);
        for (int i = 1; i <= 10_000; i++) {
            if (i % 7 == 0) {
                text.append("      - name: r").append(i).append("\n        sources: [g").append(random.nextInt(2000))
                        .append("]\n        destinations: [g").append(random.nextInt(2000)).append(", 'h x']\n")
                        .append("        action: forward  # block style\n");
            } else {
                text.append("      - {name: r").append(i).append(", sources: [g").append(random.nextInt(2000))
                        .append("], destinations: [g").append(random.nextInt(2000)).append("], services: [s")
                        .append(random.nextInt(200)).append("], direction: bi, action: drop}\n");
            }
        }
        return text.toString();
    }
}
