package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.DiffAnalysis;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Review a change: the packets whose verdict differs between two versions of a policy.",
            "Changes read '<kind>: <source group> -> <destination group>, <service>', the kind being newly "
                + "allowed, newly blocked, newly redirected, no longer redirected or redirect target changed, with "
                + "an example packet and the rules deciding it before and after, then each device's config diff."},
        footer = {"", "Examples:", "  septum diff examples/seed-lab-dns-ntp examples/seed-lab",
            "  septum diff old/ new/ --sessions septum-data --since 7d   (adds the observed sessions the change breaks)",
            "", "Exit codes: 0 compared (with or without changes), 1 a version is invalid, 2 usage error, 3 the flow store "
                + "cannot be read."})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BEFORE", description = "Policy directory of the current version")
    Path before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "Policy directory of the proposed version")
    Path after;

    @Option(names = "--no-config", description = "Leave out the per-device config line diff")
    boolean noConfig;

    @Mixin
    SessionStoreOptions sessions;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<PolicyBuild> a = PolicyGate.valid(PolicyInput.of(before), spec.commandLine(), err);
        Optional<PolicyBuild> b = PolicyGate.valid(PolicyInput.of(after), spec.commandLine(), err);
        if (a.isEmpty() || b.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        Optional<BreakSetAnalysis.Observed> observed = sessions.read(spec.commandLine());
        AnalysisOutput.print(spec.commandLine(), output,
                DiffAnalysis.of(a.get(), before.toString(), b.get(), after.toString(), !noConfig, observed));
        return ExitCodes.OK;
    }
}
