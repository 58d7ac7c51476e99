package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.Level;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.RuleCounters;
import dev.septum.verify.analysis.StagedAnalysis;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class StagedCommand implements Callable<Integer> {
    CommandSpec spec;
    final PolicyInput input = new PolicyInput();
    final SessionStoreOptions sessions = new SessionStoreOptions();
    final OutputOption output = new OutputOption();

    static CommandSpec spec() {
        StagedCommand c = new StagedCommand();
        c.spec = command("staged", c,
                new String[] {"What each staged rule ('mode: staged') would decide: the stored sessions it would be the first match of "
                        + "if enforced, their packets and bytes, and how many would change verdict (the break-set of promoting it). "
                        + "No device enforces a staged rule; 'septum check' proves it."},
                "", "Example:", "  septum staged examples/seed-lab --sessions septum-data --since 7d",
                "", "Exit codes: 0 reported, 1 the policy is invalid or nothing evaluates its staged rules (no monitor node), "
                    + "2 usage error, 3 the flow store cannot be read.");
        c.input.addTo(c.spec);
        c.sessions.addTo(c.spec);
        c.output.addTo(c.spec);
        return c.spec;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<PolicyBuild> build = PolicyGate.valid(input, spec.commandLine(), err);
        if (build.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        BreakSetAnalysis.Observed observed = sessions.required(spec.commandLine());
        Analysis report = StagedAnalysis.of(build.get(), input.directory.toString(), observed, RuleCounters.none());
        AnalysisOutput.print(spec.commandLine(), output, report);
        return report.notes().stream().anyMatch(n -> n.level() == Level.ERROR) ? ExitCodes.POLICY_ERRORS : ExitCodes.OK;
    }
}
