package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.flag;
import static dev.septum.cli.CommandModel.positional;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.DiffAnalysis;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class DiffCommand implements Callable<Integer> {
    CommandSpec spec;
    Path before;
    Path after;
    boolean noConfig;
    final SessionStoreOptions sessions = new SessionStoreOptions();
    final OutputOption output = new OutputOption();

    static CommandSpec spec() {
        DiffCommand c = new DiffCommand();
        c.spec = command("diff", c,
                new String[] {"Review a change: the packets whose verdict differs between two versions of a policy.",
                    "Changes read '<kind>: <source group> -> <destination group>, <service>', the kind being newly "
                        + "allowed, newly blocked, newly redirected, no longer redirected or redirect target changed, with "
                        + "an example packet and the rules deciding it before and after, then each device's config diff."},
                "", "Examples:", "  septum diff examples/seed-lab-dns-ntp examples/seed-lab",
                "  septum diff old/ new/ --sessions septum-data --since 7d   (adds the observed sessions the change breaks)",
                "", "Exit codes: 0 compared (with or without changes), 1 a version is invalid, 2 usage error, 3 the flow store "
                    + "cannot be read.");
        c.spec.addPositional(positional(0, Path.class, v -> c.before = v).paramLabel("BEFORE")
                .description("Policy directory of the current version").build());
        c.spec.addPositional(positional(1, Path.class, v -> c.after = v).paramLabel("AFTER")
                .description("Policy directory of the proposed version").build());
        c.spec.addOption(flag(v -> c.noConfig = v, "--no-config")
                .description("Leave out the per-device config line diff").build());
        c.sessions.addTo(c.spec);
        c.output.addTo(c.spec);
        return c.spec;
    }

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
