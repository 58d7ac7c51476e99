package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.Level;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.StagedAnalysis;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "staged", mixinStandardHelpOptions = true,
        description = {"What each staged rule ('mode: staged') would decide: the stored sessions it would be the first match of "
                + "if enforced, their packets and bytes, and how many would change verdict (the break-set of promoting it). "
                + "No device enforces a staged rule; 'septum check' proves it."},
        footer = {"", "Example:", "  septum staged examples/seed-lab --sessions septum-data --since 7d",
            "", "Exit codes: 0 reported, 1 the policy is invalid or nothing evaluates its staged rules (no monitor node), "
                + "2 usage error, 3 the flow store cannot be read."})
final class StagedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PolicyInput input;

    @Option(names = "--sessions", paramLabel = "STORE", required = true,
            description = "The flow store the staged rules are tested on (the data directory of 'septum collect' or its DuckDB file)")
    Path sessions;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only sessions last seen at or after WHEN: 15m, 2h, 7d or an ISO instant (default: every stored session)")
    Optional<String> since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100000", description = "At most N sessions, the most recent (default: ${DEFAULT-VALUE})")
    int limit;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<PolicyBuild> build = PolicyGate.valid(input, spec.commandLine(), err);
        if (build.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        BreakSetAnalysis.Observed observed;
        try {
            observed = SessionStores.observed(sessions, since, limit);
        } catch (SessionStores.Unreadable e) {
            err.println("septum staged: " + e.getMessage());
            err.flush();
            return ExitCodes.IO;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--since " + e.getMessage());
        }
        Analysis report = StagedAnalysis.of(build.get(), input.directory.toString(), observed);
        AnalysisOutput.print(spec.commandLine(), output, report);
        return report.notes().stream().anyMatch(n -> n.level() == Level.ERROR) ? ExitCodes.POLICY_ERRORS : ExitCodes.OK;
    }
}
