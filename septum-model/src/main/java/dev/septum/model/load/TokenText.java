package dev.septum.model.load;

import java.util.Optional;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;

/**
 * What {@link YamlTokenizer}'s tokens stand for in their text: a place's mark, a scalar's value and
 * style. Marks carry no window of text (SnakeYAML's show it in error snippets, which nothing here
 * prints); diagnostics name line and column.
 */
final class TokenText {
    private static final int[] NO_TEXT = {};
    private final String text;
    private final String label;
    private final YamlTokenizer.Tokens tokens;
    /** The line of the last mark made: marks are asked for in text order, but for a key's, a step back. */
    private int line;

    TokenText(String text, String label, YamlTokenizer.Tokens tokens) {
        this.text = text;
        this.label = label;
        this.tokens = tokens;
    }

    YamlTokenizer.Tokens tokens() {
        return tokens;
    }

    Optional<Mark> mark(int index) {
        int[] lineStarts = tokens.lineStarts();
        while (line > 0 && lineStarts[line] > index) {
            line--;
        }
        while (line + 1 < tokens.lines() && lineStarts[line + 1] <= index) {
            line++;
        }
        return Optional.of(new Mark(label, index, line, index - lineStarts[line], NO_TEXT, 0));
    }

    /** A scalar token's value: its text, quotes taken off and escapes replaced. */
    String value(int token) {
        int from = tokens.starts()[token];
        int to = tokens.ends()[token];
        return switch (tokens.kinds()[token]) {
            case YamlTokenizer.PLAIN -> text.substring(from, to);
            case YamlTokenizer.SINGLE_QUOTED -> singleQuoted(from + 1, to - 1);
            case YamlTokenizer.DOUBLE_QUOTED -> doubleQuoted(from + 1, to - 1);
            default -> throw new IllegalArgumentException("token " + token + " is not a scalar");
        };
    }

    ScalarStyle style(int token) {
        return switch (tokens.kinds()[token]) {
            case YamlTokenizer.SINGLE_QUOTED -> ScalarStyle.SINGLE_QUOTED;
            case YamlTokenizer.DOUBLE_QUOTED -> ScalarStyle.DOUBLE_QUOTED;
            default -> ScalarStyle.PLAIN;
        };
    }

    private String singleQuoted(int from, int to) {
        String raw = text.substring(from, to);
        return raw.indexOf('\'') < 0 ? raw : raw.replace("''", "'");
    }

    private String doubleQuoted(int from, int to) {
        if (text.indexOf('\\', from, to) < 0) {
            return text.substring(from, to);
        }
        StringBuilder value = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escaped = text.charAt(++i);
            value.append(switch (escaped) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                default -> escaped; // a backslash, a quote or a slash stands for itself
            });
        }
        return value.toString();
    }
}
