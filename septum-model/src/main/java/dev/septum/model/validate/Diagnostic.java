package dev.septum.model.validate;

import dev.septum.model.SourceLocation;

/**
 * One finding about the intent: where, which object and field, what is wrong, and how to fix it.
 *
 * @param object e.g. {@code rule 'ssh' in policy 'web'}
 * @param field  the offending field, e.g. {@code sources}
 */
public record Diagnostic(Severity severity, SourceLocation at, String object, String field,
                         String problem, String fix) {

    /**
     * {@code file:line:col: error: rule 'x' in policy 'y', field 'sources': problem. Fix: fix}, always
     * one line: control characters from the input (a name with a newline) are escaped, so a bad
     * name cannot break the line or forge a diagnostic of its own.
     */
    public String format() {
        return escaped(at + ": " + severity.keyword() + ": " + object
                + (field.isEmpty() ? "" : ", field '" + field + "'") + ": " + problem
                + (fix.isEmpty() ? "" : ". Fix: " + fix));
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
