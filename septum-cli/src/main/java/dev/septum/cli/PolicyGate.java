package dev.septum.cli;

import dev.septum.model.PolicyModel;
import dev.septum.model.load.LoadedPolicy;
import java.io.PrintWriter;
import java.util.Optional;

/** Loads a policy for a command that needs a valid one; prints the errors and refuses otherwise. */
final class PolicyGate {
    private PolicyGate() {
    }

    static Optional<PolicyModel> valid(PolicyInput input, String command, PrintWriter err) {
        LoadedPolicy loaded = input.load();
        if (loaded.hasErrors()) {
            DiagnosticPrinter.text(err, loaded.diagnostics());
            err.println("septum " + command + ": fix the errors above first (septum validate " + input.directory + ")");
            err.flush();
            return Optional.empty();
        }
        return Optional.of(loaded.model());
    }
}
