package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.RuleCounters;
import dev.septum.verify.analysis.StaleAnalysis;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class StaleCommand implements Callable<Integer> {
    CommandSpec spec;
    final PolicyInput input = new PolicyInput();
    final SessionStoreOptions sessions = new SessionStoreOptions();
    Optional<Path> propose = Optional.empty();
    final OutputOption output = new OutputOption();

    static CommandSpec spec() {
        StaleCommand c = new StaleCommand();
        c.spec = command("stale", c,
                new String[] {"Rules nobody uses: per rule, the stored sessions it decided on an enforcing device and its last hit, "
                        + "with the verifier's shadowed and redundant findings. An enforced rule that decided no session of the window "
                        + "is stale; removing them all is checked against the same sessions (its break-set) and, with --propose, "
                        + "written out as a policy directory."},
                "", "Example:", "  septum stale examples/seed-lab --sessions septum-data --since 30d --propose /tmp/without-stale",
                "", "Exit codes: 0 reported, 1 the policy is invalid, 2 usage error, 3 the flow store cannot be read or the "
                    + "proposal cannot be written.");
        c.input.addTo(c.spec);
        c.sessions.addTo(c.spec);
        c.spec.addOption(optional(Path.class, v -> c.propose = v, "--propose").paramLabel("DIR")
                .description("Write the policy without its stale rules into DIR (inventory.yaml, objects.yaml, policies.yaml), "
                        + "to review with 'septum diff' and submit like any change").build());
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
        StaleAnalysis.Result result = StaleAnalysis.of(build.get(), input.directory.toString(), observed, RuleCounters.none());
        AnalysisOutput.print(spec.commandLine(), output, result.analysis());
        return ProposalFiles.write(err, "stale", propose, result.proposal(), result.stale(), "no rule is stale");
    }
}
