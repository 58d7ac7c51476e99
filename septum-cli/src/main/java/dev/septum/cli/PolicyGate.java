package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Builds a policy for a command that needs a valid one; prints the errors and refuses otherwise.
 * Errors include what a device cannot do, so every command refuses the same policies alike.
 */
final class PolicyGate {
    private PolicyGate() {
    }

    static Optional<PolicyBuild> valid(PolicyInput input, CommandLine command, PrintWriter err) {
        PolicyBuild build = input.build(command);
        if (!build.ok()) {
            DiagnosticPrinter.text(err, build.diagnostics());
            err.println("septum " + command.getCommandName() + ": fix the errors above first (septum validate "
                    + input.directory + ")");
            err.flush();
            return Optional.empty();
        }
        return Optional.of(build);
    }
}
