package dev.septum.model.load;

import java.util.Arrays;
import java.util.Optional;

/**
 * Splits YAML text into the tokens SnakeYAML's scanner would give, with the same marks, for the
 * part of YAML that policy files use: block and flow collections, one-line plain and quoted
 * scalars, comments. Anything else (anchors, aliases, tags, block scalars, multi-line scalars,
 * document markers and directives, complex keys, tabs, carriage returns, unusual characters, deep
 * nesting, and everything SnakeYAML's scanner rejects) gives no tokens, and the caller has SnakeYAML
 * read the text instead. The steps follow SnakeYAML's scanner one for one (its simple-key and
 * indentation rules above all), so {@link TokenComposer} can compose the tokens as SnakeYAML's
 * parser would; what differs is the cost: one pass over the text into three arrays, without the
 * scanner's code-point window and its objects per token, in code that runs mostly before the JIT
 * has compiled it (SnakeYAML's scanning, parsing and composing were the longest part of a
 * 10,000-rule compile; bench/RESULTS.md, "Policy files composed without SnakeYAML"). {@code
 * YamlTokenizerTest} holds the two to the same tokens.
 */
final class YamlTokenizer {
    static final byte STREAM_START = 0, STREAM_END = 1, BLOCK_MAPPING_START = 2, BLOCK_SEQUENCE_START = 3,
            BLOCK_ENTRY = 4, BLOCK_END = 5, KEY = 6, VALUE = 7, FLOW_SEQUENCE_START = 8, FLOW_SEQUENCE_END = 9,
            FLOW_MAPPING_START = 10, FLOW_MAPPING_END = 11, FLOW_ENTRY = 12, PLAIN = 13, SINGLE_QUOTED = 14,
            DOUBLE_QUOTED = 15;
    /** SnakeYAML's limit on a simple key's length. */
    private static final int SIMPLE_KEY_LENGTH = 1024;
    private static final int MAX_FLOW_LEVEL = 16;
    private static final int MAX_BLOCK_DEPTH = 64;
    private static final String FLOW_INDICATORS = ",[]{}";

    /** Thrown where the text leaves the part of YAML this class covers; never leaves it. */
    private static final class Beyond extends RuntimeException {
        Beyond() {
            super(null, null, false, false);
        }
    }

    private static final Beyond BEYOND = new Beyond();

    /** The tokens of a text, in order: kind, start and end index (a mark's line and column follow from {@link #lineStarts}). */
    record Tokens(byte[] kinds, int[] starts, int[] ends, int count, int[] lineStarts, int lines) {
    }

    private final String text;
    /** The text's characters: indexing an array costs the interpreter, which runs most of this, far less than charAt. */
    private final char[] chars;
    private final int length;
    private int pos;
    private int[] lineStarts = new int[256];
    private int lines = 1;

    private byte[] kinds;
    private int[] starts;
    private int[] ends;
    private int count;

    private int indent = -1;
    private int[] indents = new int[16];
    private int depth;
    private int flowLevel;
    private boolean allowSimpleKey = true;
    /** Per flow level, the possible simple key's token number (-1 for none), whether it is required, and where it starts. */
    private final int[] keyToken = new int[MAX_FLOW_LEVEL + 1];
    private final boolean[] keyRequired = new boolean[MAX_FLOW_LEVEL + 1];
    private final int[] keyIndex = new int[MAX_FLOW_LEVEL + 1];
    private final int[] keyLine = new int[MAX_FLOW_LEVEL + 1];

    private YamlTokenizer(String text, char[] chars) {
        this.text = text;
        this.chars = chars;
        this.length = chars.length;
        // about one token per three characters in policy files
        this.kinds = new byte[length / 3 + 16];
        this.starts = new int[kinds.length];
        this.ends = new int[kinds.length];
        Arrays.fill(keyToken, -1);
    }

    /** The text's tokens, or empty where the text goes beyond what this class covers. */
    static Optional<Tokens> tokenize(String text, int codePointLimit) {
        if (text.length() > codePointLimit) {
            return Optional.empty();
        }
        char[] chars = text.toCharArray();
        if (!plainCharacters(chars)) {
            return Optional.empty(); // before the token arrays are made, which a file with a tab never needs
        }
        YamlTokenizer tokenizer = new YamlTokenizer(text, chars);
        try {
            tokenizer.scan();
        } catch (Beyond beyond) {
            return Optional.empty();
        }
        return Optional.of(new Tokens(tokenizer.kinds, tokenizer.starts, tokenizer.ends, tokenizer.count,
                tokenizer.lineStarts, tokenizer.lines));
    }

    /**
     * Only line feeds and characters SnakeYAML reads one for one: printable, not a tab, carriage
     * return, byte-order mark, next-line or separator, no surrogate (so an index counts code points).
     */
    private static boolean plainCharacters(char[] text) {
        for (char c : text) {
            if (c >= 0x20 && c <= 0x7E || c == '\n') {
                continue;
            }
            if (c < 0xA0 || c >= 0xD800 && c < 0xE000 || c > 0xFFFD || c == 0xFEFF || c == 0x2028 || c == 0x2029) {
                return false;
            }
        }
        return true;
    }

    private void scan() {
        lineStarts[0] = 0;
        add(STREAM_START, 0, 0);
        while (nextToken()) {
            // one call per token: the JIT compiles a method called often long before it would
            // replace a long-running loop's frame, so the loop here stays trivial
        }
    }

    /** Adds the next token (and the block ends, keys and mapping starts it implies); false once the stream's end is added. */
    private boolean nextToken() {
        skipToNextToken();
        staleSimpleKeys();
        unwindIndent(column());
        if (pos == length) {
            unwindIndent(-1);
            removeSimpleKey();
            add(STREAM_END, pos, pos);
            return false;
        }
        char c = chars[pos];
        switch (c) {
            case '-' -> {
                if (column() == 0 && text.startsWith("---", pos) && blankAt(pos + 3)) {
                    throw BEYOND; // a document marker
                }
                if (blankAt(pos + 1)) {
                    blockEntry();
                    return true;
                }
            }
            case '.' -> {
                if (column() == 0 && text.startsWith("...", pos) && blankAt(pos + 3)) {
                    throw BEYOND;
                }
            }
            case '[' -> {
                flowStart(FLOW_SEQUENCE_START);
                return true;
            }
            case '{' -> {
                flowStart(FLOW_MAPPING_START);
                return true;
            }
            case ']' -> {
                flowEnd(FLOW_SEQUENCE_END);
                return true;
            }
            case '}' -> {
                flowEnd(FLOW_MAPPING_END);
                return true;
            }
            case ',' -> {
                flowEntry();
                return true;
            }
            case ':' -> {
                if (flowLevel > 0 || blankAt(pos + 1)) {
                    value();
                    return true;
                }
            }
            case '\'', '"' -> {
                saveSimpleKey();
                allowSimpleKey = false;
                quoted(c);
                return true;
            }
            // directives, aliases, anchors, tags and block scalars are beyond this class
            case '?' -> {
                if (blankAt(pos + 1)) {
                    throw BEYOND; // a complex key
                }
            }
            case '%', '*', '&', '!', '|', '>', '#', '@', '`' -> throw BEYOND;
            default -> {
            }
        }
        if (!plainStart(c)) {
            throw BEYOND;
        }
        saveSimpleKey();
        allowSimpleKey = false;
        plain();
        return true;
    }

    private boolean plainStart(char c) {
        if ("-?:,[]{}#&*!|>'\"%@`".indexOf(c) < 0) {
            return true;
        }
        if (flowLevel == 0) {
            return !blankAt(pos + 1) && "-?:".indexOf(c) >= 0;
        }
        return !blankAt(pos + 1) && ",]".indexOf(charAt(pos + 1)) < 0 && "-?".indexOf(c) >= 0;
    }

    /** Spaces, comments and line breaks up to the next token; a line break in block context allows a simple key. */
    private void skipToNextToken() {
        while (true) {
            while (pos < length && chars[pos] == ' ') {
                pos++;
            }
            if (pos < length && chars[pos] == '#') {
                while (pos < length && chars[pos] != '\n') {
                    pos++;
                }
            }
            if (pos < length && chars[pos] == '\n') {
                lineBreak();
                if (flowLevel == 0) {
                    allowSimpleKey = true;
                }
            } else {
                return;
            }
        }
    }

    private void blockEntry() {
        if (flowLevel > 0 || !allowSimpleKey) {
            throw BEYOND;
        }
        if (addIndent(column())) {
            add(BLOCK_SEQUENCE_START, pos, pos);
        }
        allowSimpleKey = true;
        removeSimpleKey();
        add(BLOCK_ENTRY, pos, pos + 1);
        pos++;
    }

    private void flowStart(byte kind) {
        saveSimpleKey();
        if (++flowLevel > MAX_FLOW_LEVEL) {
            throw BEYOND;
        }
        allowSimpleKey = true;
        add(kind, pos, pos + 1);
        pos++;
    }

    private void flowEnd(byte kind) {
        if (flowLevel == 0) {
            throw BEYOND;
        }
        removeSimpleKey();
        flowLevel--;
        allowSimpleKey = false;
        add(kind, pos, pos + 1);
        pos++;
    }

    private void flowEntry() {
        if (flowLevel == 0) {
            throw BEYOND;
        }
        allowSimpleKey = true;
        removeSimpleKey();
        add(FLOW_ENTRY, pos, pos + 1);
        pos++;
    }

    /** A value indicator: only after a simple key that is the last token (a scalar or a flow collection's start is not). */
    private void value() {
        int key = keyToken[flowLevel];
        if (key < 0 || key != count - 1 || kinds[key] < PLAIN) {
            throw BEYOND;
        }
        keyToken[flowLevel] = -1;
        int at = keyIndex[flowLevel];
        insertBeforeLast(KEY, at);
        if (flowLevel == 0 && addIndent(at - lineStarts[keyLine[flowLevel]])) {
            insertBeforeLast(BLOCK_MAPPING_START, at);
            // the key token and the mapping start now both stand before the key's scalar, mapping first
            swapBeforeLast();
        }
        allowSimpleKey = false;
        add(VALUE, pos, pos + 1);
        pos++;
    }

    /** A one-line single- or double-quoted scalar; escapes beyond quote, backslash, slash, n, t and r are beyond this class. */
    private void quoted(char quote) {
        int start = pos++;
        while (true) {
            if (pos == length) {
                throw BEYOND;
            }
            char c = chars[pos];
            if (c == '\n') {
                throw BEYOND;
            }
            if (quote == '\'' && c == '\'') {
                if (charAt(pos + 1) != '\'') {
                    break;
                }
                pos += 2;
            } else if (quote == '"' && c == '"') {
                break;
            } else if (quote == '"' && c == '\\') {
                if ("\\\"/ntr".indexOf(charAt(pos + 1)) < 0) {
                    throw BEYOND;
                }
                pos += 2;
            } else {
                pos++;
            }
        }
        pos++;
        add(quote == '\'' ? SINGLE_QUOTED : DOUBLE_QUOTED, start, pos);
    }

    /** A plain scalar on one line; one that continues on the next line is beyond this class. */
    private void plain() {
        int start = pos;
        int end = pos;
        int plainIndent = indent + 1;
        while (true) {
            if (charAt(pos) == '#') {
                break;
            }
            int chunk = pos;
            while (pos < length && !plainEnds(chars[pos])) {
                pos++;
            }
            if (pos == chunk) {
                break;
            }
            end = pos;
            int spaces = pos;
            while (pos < length && chars[pos] == ' ') {
                pos++;
            }
            if (pos < length && chars[pos] == '\n') {
                // SnakeYAML's scanner takes the breaks and the next line's indentation with the scalar
                lineBreak();
                allowSimpleKey = true;
                while (pos < length && (chars[pos] == ' ' || chars[pos] == '\n')) {
                    if (chars[pos] == '\n') {
                        lineBreak();
                    } else {
                        pos++;
                    }
                }
                if (atDocumentMarker()) {
                    throw BEYOND;
                }
                if (pos < length && chars[pos] != '#' && (flowLevel > 0 || column() >= plainIndent)
                        && !plainEnds(chars[pos])) {
                    throw BEYOND; // the scalar goes on over the next line
                }
                break;
            }
            if (pos == spaces) {
                break;
            }
        }
        add(PLAIN, start, end);
    }

    private boolean plainEnds(char c) {
        if (c == ' ' || c == '\n') {
            return true;
        }
        if (c == ':') {
            char next = charAt(pos + 1);
            return blankAt(pos + 1) || flowLevel > 0 && FLOW_INDICATORS.indexOf(next) >= 0;
        }
        return flowLevel > 0 && FLOW_INDICATORS.indexOf(c) >= 0;
    }

    private boolean atDocumentMarker() {
        return column() == 0 && (text.startsWith("---", pos) || text.startsWith("...", pos));
    }

    private void saveSimpleKey() {
        boolean required = flowLevel == 0 && indent == column();
        if (!allowSimpleKey) {
            if (required) {
                throw BEYOND;
            }
            return;
        }
        removeSimpleKey();
        keyToken[flowLevel] = count;
        keyRequired[flowLevel] = required;
        keyIndex[flowLevel] = pos;
        keyLine[flowLevel] = lines - 1;
    }

    private void removeSimpleKey() {
        if (keyToken[flowLevel] >= 0 && keyRequired[flowLevel]) {
            throw BEYOND; // SnakeYAML: could not find expected ':'
        }
        keyToken[flowLevel] = -1;
    }

    private void staleSimpleKeys() {
        for (int level = 0; level <= flowLevel; level++) {
            if (keyToken[level] >= 0 && (keyLine[level] != lines - 1 || pos - keyIndex[level] > SIMPLE_KEY_LENGTH)) {
                if (keyRequired[level]) {
                    throw BEYOND;
                }
                keyToken[level] = -1;
            }
        }
    }

    private void unwindIndent(int column) {
        if (flowLevel > 0) {
            return;
        }
        while (indent > column) {
            indent = indents[--depth];
            add(BLOCK_END, pos, pos);
        }
    }

    private boolean addIndent(int column) {
        if (indent >= column) {
            return false;
        }
        if (depth == MAX_BLOCK_DEPTH) {
            throw BEYOND; // TokenComposer recurses once per level, as SnakeYAML's composer does
        }
        if (depth == indents.length) {
            indents = Arrays.copyOf(indents, depth * 2);
        }
        indents[depth++] = indent;
        indent = column;
        return true;
    }

    private int column() {
        return pos - lineStarts[lines - 1];
    }

    private char charAt(int i) {
        return i < length ? chars[i] : 0;
    }

    /** SnakeYAML's blank: a space, a line break or the end of the text (tabs and carriage returns never get here). */
    private boolean blankAt(int i) {
        return i >= length || chars[i] == ' ' || chars[i] == '\n';
    }

    private void lineBreak() {
        pos++;
        if (lines == lineStarts.length) {
            lineStarts = Arrays.copyOf(lineStarts, lines * 2);
        }
        lineStarts[lines++] = pos;
    }

    private void add(byte kind, int start, int end) {
        if (count == kinds.length) {
            kinds = Arrays.copyOf(kinds, count * 2);
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        kinds[count] = kind;
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    /** Puts a token of width zero at {@code at} in front of the last token. */
    private void insertBeforeLast(byte kind, int at) {
        add(kinds[count - 1], starts[count - 1], ends[count - 1]);
        kinds[count - 2] = kind;
        starts[count - 2] = at;
        ends[count - 2] = at;
    }

    /** Swaps the two tokens in front of the last one. */
    private void swapBeforeLast() {
        int a = count - 3;
        int b = count - 2;
        byte kind = kinds[a];
        kinds[a] = kinds[b];
        kinds[b] = kind;
        int start = starts[a];
        starts[a] = starts[b];
        starts[b] = start;
        int end = ends[a];
        ends[a] = ends[b];
        ends[b] = end;
    }
}
