package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.flag;
import static dev.septum.cli.CommandModel.option;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.Level;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.CheckAnalysis;
import dev.septum.verify.analysis.GateAnalysis;
import dev.septum.verify.analysis.ExpiryFindings;
import dev.septum.verify.analysis.Parameters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

final class CheckCommand implements Callable<Integer> {
    CommandSpec spec;
    final PolicyInput input = new PolicyInput();
    final OutputOption output = new OutputOption();
    boolean quiet;
    Level minLevel;
    String expiryWarning;
    Optional<Path> against = Optional.empty();
    long newlyAllowedBudget;
    final SessionStoreOptions sessions = new SessionStoreOptions();

    static CommandSpec spec() {
        CheckCommand c = new CheckCommand();
        c.spec = command("check", c,
                new String[] {"Find shadowed, redundant and overlapping rules, stateless exposures and enforcement gaps.",
                    "Every enforced traffic-policy is analysed exactly, over the whole header space:",
                    "  shadowed           a rule never matches: earlier rules decide all its packets",
                    "                     (an error when they give the opposite verdict)",
                    "  redundant          removing the rule changes no verdict (only its counter)",
                    "  overlap            an earlier rule with another verdict decides part of it",
                    "  stateless-reverse  a '-reverse' match on a stateless switch forwards more",
                    "                     than replies",
                    "  enforcement-gap    with a lab.yaml next to the policy: hosts of one subnet on",
                    "                     one bridge that a rule separates but that reach each other",
                    "                     without crossing the enforcing device, in each VRF it",
                    "                     enforces",
                    "  expired            a rule past its 'expires' day (an error: it still enforces)",
                    "  expiring           a rule expiring within --expiry-warning days",
                    "  empty-group, unused, idle-device, unmatchable"},
                "", "As a CI gate (with --against BASE_DIR, the policy before the change), errors are also:",
                "  over-budget        more newly allowed cells than --newly-allowed-budget",
                "  new-shadowed       a rule the change shadows that was not shadowed before",
                "  breaks-observed    with --sessions: stored sessions whose verdict changes",
                "", "The answer then adds the semantic diff ('changes') and the break-set ('breaks').",
                "", "Example:", "  septum check policy/ --against /tmp/base/policy --newly-allowed-budget 1 --sessions septum-data --since 7d",
                "", "Exit codes: 0 no errors (warnings allowed), 1 errors found (a gate violation included) or a policy is invalid, "
                    + "2 usage error, 3 the flow store cannot be read.");
        c.input.addTo(c.spec);
        c.output.addTo(c.spec);
        c.spec.addOption(flag(v -> c.quiet = v, "-q", "--quiet")
                .description("No progress lines on stderr").build());
        c.spec.addOption(option(Level.class, v -> c.minLevel = v, "--min-level").paramLabel("LEVEL").defaultValue("info")
                .description("Leave out findings below this level: error, warning, info (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(String.class, v -> c.expiryWarning = v, "--expiry-warning").paramLabel("DAYS").defaultValue("14d")
                .description("Warn about rules whose 'expires' day is at most this many days ahead, e.g. 30d (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(optional(Path.class, v -> c.against = v, "--against").paramLabel("BASE_DIR")
                .description("The policy before the change (e.g. the target branch's checkout): fail on what the change adds beyond its budget").build());
        c.spec.addOption(option(long.class, v -> c.newlyAllowedBudget = v, "--newly-allowed-budget").paramLabel("N").defaultValue("0")
                .description("With --against: how many newly allowed cells the change may add (default: ${DEFAULT-VALUE})").build());
        c.sessions.addTo(c.spec);
        return c.spec;
    }

    @Override
    public Integer call() {
        CommandLine command = spec.commandLine();
        Optional<PolicyBuild> build = PolicyGate.valid(input, command, command.getErr());
        if (build.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        PrintWriter err = command.getErr();
        Parameters parameters = Parameters.of(Map.of(CheckAnalysis.MIN_LEVEL, Optional.of(minLevel.keyword()),
                ExpiryFindings.PARAMETER, Optional.of(expiryWarning)));
        if (against.isEmpty() && (sessions.store.isPresent() || sessions.since.isPresent() || command.getParseResult().hasMatchedOption("--newly-allowed-budget"))) {
            throw new ParameterException(command, "--newly-allowed-budget and --sessions need --against BASE_DIR");
        }
        Analysis check;
        if (against.isPresent()) {
            Optional<PolicyBuild> base = PolicyGate.valid(PolicyInput.of(against.get()), command, err);
            if (base.isEmpty()) {
                return ExitCodes.POLICY_ERRORS;
            }
            Optional<BreakSetAnalysis.Observed> seen = sessions.read(command);
            check = AnalysisOutput.run(command, () -> GateAnalysis.of(base.get(), against.get().toString(), build.get(),
                    input.directory.toString(), parameters, newlyAllowedBudget, seen));
        } else {
            check = AnalysisOutput.run(command, () -> CheckAnalysis.of(build.get(), input.directory.toString(), parameters,
                    LabTopology.next(input.directory, build.get().model()), quiet ? p -> { } : p -> {
                        err.println(p);
                        err.flush();
                    }));
        }
        AnalysisOutput.print(command, output, check);
        return check.table("findings").count("level", Level.ERROR.keyword()) > 0 ? ExitCodes.POLICY_ERRORS : ExitCodes.OK;
    }
}
