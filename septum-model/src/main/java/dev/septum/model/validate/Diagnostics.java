package dev.septum.model.validate;

import dev.septum.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/** Collects every finding of a run, so a user sees all problems at once, not just the first. */
public final class Diagnostics {
    private final List<Diagnostic> found = new ArrayList<>();

    public void error(SourceLocation at, String object, String field, String problem, String fix) {
        found.add(new Diagnostic(Severity.ERROR, at, object, field, problem, fix));
    }

    public void warning(SourceLocation at, String object, String field, String problem, String fix) {
        found.add(new Diagnostic(Severity.WARNING, at, object, field, problem, fix));
    }

    public void addAll(List<Diagnostic> diagnostics) {
        found.addAll(diagnostics);
    }

    /** As found, for adding to another run's findings in their place. */
    public List<Diagnostic> inFoundOrder() {
        return List.copyOf(found);
    }

    public boolean hasErrors() {
        return found.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** Sorted by file, line and column so output reads top to bottom. */
    public List<Diagnostic> sorted() {
        return found.stream().sorted(Diagnostics::byPosition).toList();
    }

    /**
     * One method, not a {@code Comparator.comparing} chain: the lambdas inside the JDK's Comparator
     * are made anew on every start, where the AOT cache keeps this class's own (bench/RESULTS.md, su6).
     */
    private static int byPosition(Diagnostic a, Diagnostic b) {
        int source = a.at().source().compareTo(b.at().source());
        if (source != 0) {
            return source;
        }
        int line = Integer.compare(a.at().line(), b.at().line());
        return line != 0 ? line : Integer.compare(a.at().column(), b.at().column());
    }
}
