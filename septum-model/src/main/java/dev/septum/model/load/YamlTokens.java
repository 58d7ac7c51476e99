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
 * parser reaches it, so it dies young.
 */
final class YamlTokens implements Scanner {
    private static final Token.ID[] IDS = {
        Token.ID.StreamStart, Token.ID.StreamEnd, Token.ID.BlockMappingStart, Token.ID.BlockSequenceStart,
        Token.ID.BlockEntry, Token.ID.BlockEnd, Token.ID.Key, Token.ID.Value, Token.ID.FlowSequenceStart,
        Token.ID.FlowSequenceEnd, Token.ID.FlowMappingStart, Token.ID.FlowMappingEnd, Token.ID.FlowEntry,
        Token.ID.Scalar, Token.ID.Scalar, Token.ID.Scalar};

    private final TokenText text;
    private final YamlTokenizer.Tokens tokens;
    private int next;
    private Token peeked;

    YamlTokens(TokenText text) {
        this.text = text;
        this.tokens = text.tokens();
    }

    /** SnakeYAML's parser over the text's tokens where {@link YamlTokenizer} gave them, else over SnakeYAML's own scanner. */
    static Parser parser(LoadSettings settings, String text, Optional<YamlTokenizer.Tokens> tokens) {
        return tokens.<Parser>map(t -> new ParserImpl(settings, new YamlTokens(new TokenText(text, settings.getLabel(), t))))
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
        Optional<Mark> start = text.mark(from);
        Optional<Mark> end = from == to ? start : text.mark(to);
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
            case PLAIN -> new ScalarToken(text.value(i), true, start, end);
            case SINGLE_QUOTED, DOUBLE_QUOTED -> new ScalarToken(text.value(i), false, text.style(i), start, end);
            default -> throw new IllegalStateException("token kind " + tokens.kinds()[i]);
        };
    }
}
