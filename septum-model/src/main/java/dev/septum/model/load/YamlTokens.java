package dev.septum.model.load;

import static dev.septum.model.load.YamlTokenizer.BLOCK_END;
import static dev.septum.model.load.YamlTokenizer.BLOCK_ENTRY;
import static dev.septum.model.load.YamlTokenizer.BLOCK_MAPPING_START;
import static dev.septum.model.load.YamlTokenizer.BLOCK_SEQUENCE_START;
import static dev.septum.model.load.YamlTokenizer.DOUBLE_QUOTED;
import static dev.septum.model.load.YamlTokenizer.FLOW_ENTRY;
import static dev.septum.model.load.YamlTokenizer.FLOW_MAPPING_END;
import static dev.septum.model.load.YamlTokenizer.FLOW_MAPPING_START;
import static dev.septum.model.load.YamlTokenizer.FLOW_SEQUENCE_END;
import static dev.septum.model.load.YamlTokenizer.FLOW_SEQUENCE_START;
import static dev.septum.model.load.YamlTokenizer.KEY;
import static dev.septum.model.load.YamlTokenizer.PLAIN;
import static dev.septum.model.load.YamlTokenizer.SINGLE_QUOTED;
import static dev.septum.model.load.YamlTokenizer.STREAM_END;
import static dev.septum.model.load.YamlTokenizer.STREAM_START;
import static dev.septum.model.load.YamlTokenizer.VALUE;

import java.util.NoSuchElementException;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.Scanner;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.tokens.BlockEndToken;
import org.snakeyaml.engine.v2.tokens.BlockEntryToken;
import org.snakeyaml.engine.v2.tokens.BlockMappingStartToken;
import org.snakeyaml.engine.v2.tokens.BlockSequenceStartToken;
import org.snakeyaml.engine.v2.tokens.FlowEntryToken;
import org.snakeyaml.engine.v2.tokens.FlowMappingEndToken;
import org.snakeyaml.engine.v2.tokens.FlowMappingStartToken;
import org.snakeyaml.engine.v2.tokens.FlowSequenceEndToken;
import org.snakeyaml.engine.v2.tokens.FlowSequenceStartToken;
import org.snakeyaml.engine.v2.tokens.KeyToken;
import org.snakeyaml.engine.v2.tokens.ScalarToken;
import org.snakeyaml.engine.v2.tokens.StreamEndToken;
import org.snakeyaml.engine.v2.tokens.StreamStartToken;
import org.snakeyaml.engine.v2.tokens.Token;
import org.snakeyaml.engine.v2.tokens.ValueToken;

/**
 * SnakeYAML's scanner interface over {@link YamlTokenizer}'s tokens: each token is made when the
 * parser reaches it, so it dies young. Marks carry no text window; diagnostics name line and column.
 */
final class YamlTokens implements Scanner {
    private static final int[] NO_TEXT = {};
    private static final Token.ID[] IDS = {
        Token.ID.StreamStart, Token.ID.StreamEnd, Token.ID.BlockMappingStart, Token.ID.BlockSequenceStart,
        Token.ID.BlockEntry, Token.ID.BlockEnd, Token.ID.Key, Token.ID.Value, Token.ID.FlowSequenceStart,
        Token.ID.FlowSequenceEnd, Token.ID.FlowMappingStart, Token.ID.FlowMappingEnd, Token.ID.FlowEntry,
        Token.ID.Scalar, Token.ID.Scalar, Token.ID.Scalar};

    private final String text;
    private final String label;
    private final YamlTokenizer.Tokens tokens;
    private int next;
    private Token peeked;
    /** The line of the last mark made: marks come in text order but for a key's, one step back. */
    private int line;

    YamlTokens(String text, String label, YamlTokenizer.Tokens tokens) {
        this.text = text;
        this.label = label;
        this.tokens = tokens;
    }

    /** SnakeYAML's parser over this class's tokens where the text allows, else over SnakeYAML's own scanner. */
    static Parser parser(LoadSettings settings, String text) {
        return YamlTokenizer.tokenize(text, settings.getCodePointLimit())
                .<Parser>map(t -> new ParserImpl(settings, new YamlTokens(text, settings.getLabel(), t)))
                .orElseGet(() -> new ParserImpl(settings, new StreamReader(settings, text)));
    }

    @Override
    public boolean checkToken(Token.ID... choices) {
        if (next == tokens.count()) {
            return false;
        }
        Token.ID id = IDS[tokens.kinds()[next]];
        for (Token.ID choice : choices) {
            if (id == choice) {
                return true;
            }
        }
        return choices.length == 0;
    }

    @Override
    public Token peekToken() {
        if (peeked == null) {
            if (next == tokens.count()) {
                throw new IndexOutOfBoundsException("No more tokens");
            }
            peeked = token(next);
        }
        return peeked;
    }

    @Override
    public boolean hasNext() {
        return next < tokens.count();
    }

    @Override
    public Token next() {
        if (next == tokens.count()) {
            throw new NoSuchElementException("No more Tokens found.");
        }
        Token token = peekToken();
        peeked = null;
        next++;
        return token;
    }

    @Override
    public void resetDocumentIndex() {
        // the text's length was checked against the limit as a whole
    }

    private Token token(int i) {
        int from = tokens.starts()[i];
        int to = tokens.ends()[i];
        Optional<Mark> start = mark(from);
        Optional<Mark> end = from == to ? start : mark(to);
        return switch (tokens.kinds()[i]) {
            case STREAM_START -> new StreamStartToken(start, end);
            case STREAM_END -> new StreamEndToken(start, end);
            case BLOCK_MAPPING_START -> new BlockMappingStartToken(start, end);
            case BLOCK_SEQUENCE_START -> new BlockSequenceStartToken(start, end);
            case BLOCK_ENTRY -> new BlockEntryToken(start, end);
            case BLOCK_END -> new BlockEndToken(start, end);
            case KEY -> new KeyToken(start, end);
            case VALUE -> new ValueToken(start, end);
            case FLOW_SEQUENCE_START -> new FlowSequenceStartToken(start, end);
            case FLOW_SEQUENCE_END -> new FlowSequenceEndToken(start, end);
            case FLOW_MAPPING_START -> new FlowMappingStartToken(start, end);
            case FLOW_MAPPING_END -> new FlowMappingEndToken(start, end);
            case FLOW_ENTRY -> new FlowEntryToken(start, end);
            case PLAIN -> new ScalarToken(text.substring(from, to), true, start, end);
            case SINGLE_QUOTED -> new ScalarToken(singleQuoted(from + 1, to - 1), false, ScalarStyle.SINGLE_QUOTED, start, end);
            case DOUBLE_QUOTED -> new ScalarToken(doubleQuoted(from + 1, to - 1), false, ScalarStyle.DOUBLE_QUOTED, start, end);
            default -> throw new IllegalStateException("token kind " + tokens.kinds()[i]);
        };
    }

    private Optional<Mark> mark(int index) {
        int[] lineStarts = tokens.lineStarts();
        while (line > 0 && lineStarts[line] > index) {
            line--;
        }
        while (line + 1 < tokens.lines() && lineStarts[line + 1] <= index) {
            line++;
        }
        return Optional.of(new Mark(label, index, line, index - lineStarts[line], NO_TEXT, 0));
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
