package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.analysis.ExpiredAnalysis;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class ExpiredCommand implements Callable<Integer> {
    CommandSpec spec;
    final PolicyInput input = new PolicyInput();
    final SessionStoreOptions sessions = new SessionStoreOptions();
    Optional<Path> propose = Optional.empty();
    final OutputOption output = new OutputOption();

    static CommandSpec spec() {
        ExpiredCommand c = new ExpiredCommand();
        c.spec = command("expired", c,
                new String[] {"Rules past their 'expires' day (as 'check' reports them), with owner and ticket; with --sessions, the break-set "
                        + "of removing them over the stored sessions; with --propose, the policy without them written out, to review with "
                        + "'septum diff' and submit like any change. The server opens the same removal as a workspace "
                        + "(POST /api/rules/expired/workspace, its schedule, the web UI)."},
                "", "Example:", "  septum expired policy/ --sessions septum-data --since 7d --propose /tmp/without-expired",
                "", "Exit codes: 0 reported, 1 the policy is invalid, 2 usage error, 3 the flow store cannot be read or the "
                    + "proposal cannot be written.");
        c.input.addTo(c.spec);
        c.sessions.addTo(c.spec);
        c.spec.addOption(optional(Path.class, v -> c.propose = v, "--propose").paramLabel("DIR")
                .description("Write the policy without its expired rules into DIR (inventory.yaml, objects.yaml, policies.yaml)").build());
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
        ExpiredAnalysis.Result result = ExpiredAnalysis.of(build.get(), input.directory.toString(), LocalDate.now(ZoneOffset.UTC),
                sessions.read(spec.commandLine()));
        AnalysisOutput.print(spec.commandLine(), output, result.analysis());
        return ProposalFiles.write(err, "expired", propose, result.proposal(), result.expired(), "no rule expired");
    }
}
