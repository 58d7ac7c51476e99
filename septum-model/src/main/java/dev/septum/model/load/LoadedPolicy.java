package dev.septum.model.load;

import dev.septum.model.PolicyModel;
import dev.septum.model.validate.Diagnostic;
import dev.septum.model.validate.Severity;
import java.util.List;

/** The model as far as it could be read, and every problem found while reading and validating. */
public record LoadedPolicy(PolicyModel model, List<Diagnostic> diagnostics) {
    public LoadedPolicy {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).toList();
    }
}
