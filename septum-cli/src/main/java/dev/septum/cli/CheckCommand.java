package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.Level;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.CheckAnalysis;
import dev.septum.verify.analysis.ExpiryFindings;
import dev.septum.verify.analysis.Parameters;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Find shadowed, redundant and overlapping rules, stateless exposures and enforcement gaps.",
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
        footer = {"", "Exit codes: 0 no errors (warnings allowed), 1 errors found or the policy is invalid, 2 usage error."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PolicyInput input;

    @Mixin
    OutputOption output;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr")
    boolean quiet;

    @Option(names = "--min-level", defaultValue = "info", paramLabel = "LEVEL",
            description = "Leave out findings below this level: error, warning, info (default: ${DEFAULT-VALUE})")
    Level minLevel;

    @Option(names = "--expiry-warning", defaultValue = "14d", paramLabel = "DAYS",
            description = "Warn about rules whose 'expires' day is at most this many days ahead, e.g. 30d (default: ${DEFAULT-VALUE})")
    String expiryWarning;

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
        Analysis check = AnalysisOutput.run(command, () -> CheckAnalysis.of(build.get(), input.directory.toString(), parameters,
                LabTopology.next(input.directory, build.get().model()), quiet ? p -> { } : p -> {
                    err.println(p);
                    err.flush();
                }));
        AnalysisOutput.print(command, output, check);
        return check.table("findings").count("level", Level.ERROR.keyword()) > 0 ? ExitCodes.POLICY_ERRORS : ExitCodes.OK;
    }
}
