package dev.septum.model.validate;

import dev.septum.model.SourceLocation;
import java.util.ArrayList;
import java.util.Comparator;
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
        return found.stream().sorted(Comparator
                .comparing((Diagnostic d) -> d.at().source())
                .thenComparingInt(d -> d.at().line())
                .thenComparingInt(d -> d.at().column())).toList();
    }
}
