package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.RuleCounters;
import dev.septum.verify.analysis.StaleAnalysis;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "stale", mixinStandardHelpOptions = true,
        description = {"Rules nobody uses: per rule, the stored sessions it decided on an enforcing device and its last hit, "
                + "with the verifier's shadowed and redundant findings. An enforced rule that decided no session of the window "
                + "is stale; removing them all is checked against the same sessions (its break-set) and, with --propose, "
                + "written out as a policy directory."},
        footer = {"", "Example:", "  septum stale examples/seed-lab --sessions septum-data --since 30d --propose /tmp/without-stale",
            "", "Exit codes: 0 reported, 1 the policy is invalid, 2 usage error, 3 the flow store cannot be read or the "
                + "proposal cannot be written."})
final class StaleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PolicyInput input;

    @Mixin
    SessionStoreOptions sessions;

    @Option(names = "--propose", paramLabel = "DIR",
            description = "Write the policy without its stale rules into DIR (inventory.yaml, objects.yaml, policies.yaml), "
                    + "to review with 'septum diff' and submit like any change")
    Optional<Path> propose;

    @Mixin
    OutputOption output;

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
