package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.diff.ConfigDiff;
import dev.septum.verify.SemanticDiff;
import dev.septum.verify.SemanticDiff.Change;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Review a change: the packets whose verdict differs between two versions of a policy.",
            "Changes read '<kind>: <source group> -> <destination group>, <service>', the kind being newly "
                + "allowed, newly blocked, newly redirected, no longer redirected or redirect target changed, with "
                + "an example packet and the rules deciding it before and after, then each device's config diff."},
        footer = {"", "Example:", "  septum diff examples/seed-lab-dns-ntp examples/seed-lab",
            "", "Exit codes: 0 compared (with or without changes), 1 a version is invalid, 2 usage error."})
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
    OutputOption output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<PolicyBuild> a = PolicyGate.valid(PolicyInput.of(before), spec.commandLine(), err);
        Optional<PolicyBuild> b = PolicyGate.valid(PolicyInput.of(after), spec.commandLine(), err);
        if (a.isEmpty() || b.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        List<Change> changes = SemanticDiff.compare(a.get(), b.get());
        Map<String, List<String>> configs = noConfig ? Map.of() : configDiffs(a.get(), b.get());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(json(changes, configs).toPrettyString());
        } else {
            text(out, changes, configs);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static Map<String, List<String>> configDiffs(PolicyBuild a, PolicyBuild b) {
        Map<String, String> before = configs(a);
        Map<String, String> after = configs(b);
        Map<String, List<String>> diffs = new LinkedHashMap<>();
        for (String device : after.keySet()) {
            List<String> diff = ConfigDiff.unified(device, before.getOrDefault(device, ""), after.get(device));
            if (!diff.isEmpty()) {
                diffs.put(device, diff);
            }
        }
        before.keySet().stream().filter(d -> !after.containsKey(d))
                .forEach(d -> diffs.put(d, ConfigDiff.unified(d, before.get(d), "")));
        return diffs;
    }

    private static Map<String, String> configs(PolicyBuild build) {
        Map<String, String> configs = new LinkedHashMap<>();
        build.deviceConfigs().forEach(c -> configs.put(c.device(), c.config()));
        return configs;
    }

    private static void text(PrintWriter out, List<Change> changes, Map<String, List<String>> configs) {
        if (changes.isEmpty()) {
            out.println("no packet changes verdict");
        }
        String where = "";
        for (Change c : changes) {
            if (!c.enforcedAt().equals(where)) {
                where = c.enforcedAt();
                out.println(where + ":");
            }
            out.println("  " + c.summary());
            out.println("      before: " + c.decidedBefore() + " (" + c.before() + "), after: " + c.decidedAfter() + " (" + c.after() + ")");
            if (!c.keptBy().isEmpty()) {
                out.println("      still " + c.before() + " inside it: " + String.join(", ", c.keptBy()));
            }
        }
        configs.forEach((device, diff) -> {
            out.println();
            diff.forEach(out::println);
        });
    }

    private static ObjectNode json(List<Change> changes, Map<String, List<String>> configs) {
        ObjectNode root = DiagnosticPrinter.JSON.createObjectNode();
        ArrayNode list = root.putArray("changes");
        for (Change c : changes) {
            ObjectNode n = list.addObject();
            n.put("enforcedAt", c.enforcedAt());
            n.put("kind", c.kind().keyword());
            n.put("family", c.family().keyword());
            n.put("before", c.before().keyword());
            n.put("after", c.after().keyword());
            n.put("cell", c.cell());
            n.put("whole", c.whole());
            n.put("example", c.example().toString());
            n.put("decidedBefore", c.decidedBefore());
            n.put("decidedAfter", c.decidedAfter());
            c.keptBy().forEach(n.putArray("keptBy")::add);
        }
        ObjectNode cfg = root.putObject("configDiffs");
        configs.forEach((device, diff) -> cfg.put(device, String.join("\n", diff)));
        return root;
    }
}
