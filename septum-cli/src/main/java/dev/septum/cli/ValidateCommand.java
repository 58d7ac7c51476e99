package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
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
        PolicyBuild build = input.build(spec.commandLine());
        var out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(DiagnosticPrinter.json(build.diagnostics()).toPrettyString());
            out.flush();
        } else {
            DiagnosticPrinter.text(out, build.diagnostics());
        }
        return build.ok() ? ExitCodes.OK : ExitCodes.POLICY_ERRORS;
    }
}
