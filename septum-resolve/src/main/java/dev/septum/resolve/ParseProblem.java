package dev.septum.resolve;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Where a JSON, YAML or CSV text stopped parsing, without the parser's own message: that quotes the
 * text it choked on, and a member file or an answer may hold what must not be shown (a file that
 * is not a member list at all, a token in an error page).
 */
final class ParseProblem {
    private ParseProblem() {
    }

    static String at(JacksonException e) {
        TokenStreamLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "cannot be parsed"
                : "cannot be parsed at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
