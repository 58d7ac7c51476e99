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

    /** {@code file:line:col: error: rule 'x' in policy 'y', field 'sources': problem. Fix: fix} */
    public String format() {
        return at + ": " + severity.keyword() + ": " + object
                + (field.isEmpty() ? "" : ", field '" + field + "'") + ": " + problem
                + (fix.isEmpty() ? "" : ". Fix: " + fix);
    }
}
