package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.model.validate.Severity;
import dev.septum.verify.analysis.ResolutionAnalysis;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

final class ResolveCommand implements Callable<Integer> {
    CommandSpec spec;
    final PolicyInput input = new PolicyInput();
    final OutputOption output = new OutputOption();

    static CommandSpec spec() {
        ResolveCommand c = new ResolveCommand();
        c.spec = command("resolve", c,
                new String[] {"Ask every dynamic group's source once and show the members and each source's health.",
                    "Sources: dns, dhcp (Kea), http-json (e.g. NetBox), file and push (server only); see docs/dynamic-groups.md.",
                    "Health: ok; stale (the source failed, the last good members are kept); never (it never answered: "
                        + "the build is blocked)."},
                "", "Example:", "  septum resolve examples/dynamic-groups",
                "", "Exit codes: 0 every group resolved, 1 a group never resolved or the policy is invalid, 2 usage error.");
        c.input.addTo(c.spec);
        c.output.addTo(c.spec);
        return c.spec;
    }

    @Override
    public Integer call() {
        CommandLine command = spec.commandLine();
        PolicyBuild build = input.build(command);
        if (build.loaded().hasErrors()) {
            DiagnosticPrinter.text(command.getErr(), build.diagnostics());
            return ExitCodes.POLICY_ERRORS;
        }
        AnalysisOutput.print(command, output, ResolutionAnalysis.of(build, input.directory.toString()));
        DiagnosticPrinter.text(command.getErr(), build.diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR || d.object().startsWith("group ")).toList());
        return build.ok() ? ExitCodes.OK : ExitCodes.POLICY_ERRORS;
    }
}
