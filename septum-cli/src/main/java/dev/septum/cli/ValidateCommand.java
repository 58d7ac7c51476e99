package dev.septum.cli;

import dev.septum.model.load.LoadedPolicy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a policy directory and print every problem at once.",
            "Each line names file:line:column, the object, the field and how to fix it."},
        footer = {"", "Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PolicyInput input;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        LoadedPolicy loaded = input.load();
        var out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(DiagnosticPrinter.json(loaded.diagnostics()).toPrettyString());
            out.flush();
        } else {
            DiagnosticPrinter.text(out, loaded.diagnostics());
        }
        return loaded.hasErrors() ? ExitCodes.POLICY_ERRORS : ExitCodes.OK;
    }
}
