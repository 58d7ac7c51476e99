package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;

import dev.septum.compile.pipeline.PolicyBuild;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class ValidateCommand implements Callable<Integer> {
    CommandSpec spec;
    final PolicyInput input = new PolicyInput();
    final OutputOption output = new OutputOption();

    static CommandSpec spec() {
        ValidateCommand c = new ValidateCommand();
        c.spec = command("validate", c,
                new String[] {"Check a policy directory and print every problem at once.",
                    "Each line names file:line:column, the object, the field and how to fix it."},
                "", "Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error.");
        c.input.addTo(c.spec);
        c.output.addTo(c.spec);
        return c.spec;
    }

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
