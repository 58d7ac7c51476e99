package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.EnforcementGaps;
import dev.septum.verify.Finding;
import dev.septum.verify.Level;
import dev.septum.verify.PolicyChecker;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<PolicyBuild> build = PolicyGate.valid(input, spec.commandLine(), spec.commandLine().getErr());
        if (build.isEmpty()) {
            return ExitCodes.POLICY_ERRORS;
        }
        PrintWriter err = spec.commandLine().getErr();
        List<Finding> all = new java.util.ArrayList<>(PolicyChecker.check(build.get(), quiet ? p -> { } : p -> {
            err.println(p);
            err.flush();
        }));
        LabTopology.next(input.directory, build.get().model()).ifPresent(topology ->
                build.get().plan(topology.enforcingDevice()).ifPresent(plan ->
                        all.addAll(EnforcementGaps.find(plan, topology.unenforced()))));
        List<Finding> findings = all.stream().filter(f -> f.level().compareTo(minLevel) <= 0).toList();
        if (output.json()) {
            out.println(json(findings).toPrettyString());
        } else {
            findings.forEach(f -> {
                out.println(f.format());
                if (!f.related().isEmpty()) {
                    out.println("    because of: " + String.join(", ", f.related()));
                }
            });
            out.println(java.util.Arrays.stream(Level.values()).map(l -> count(findings, l) + " " + countName(l))
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        out.flush();
        return count(findings, Level.ERROR) > 0 ? ExitCodes.POLICY_ERRORS : ExitCodes.OK;
    }

    /** The one word text and JSON both count a level under: errors, warnings, info (as --min-level spells it). */
    static String countName(Level level) {
        return switch (level) {
            case ERROR -> "errors";
            case WARNING -> "warnings";
            case INFO -> "info";
        };
    }

    private static long count(List<Finding> findings, Level level) {
        return findings.stream().filter(f -> f.level() == level).count();
    }

    private static ObjectNode json(List<Finding> findings) {
        ObjectNode root = DiagnosticPrinter.JSON.createObjectNode();
        for (Level level : Level.values()) {
            root.put(countName(level), count(findings, level));
        }
        ArrayNode list = root.putArray("findings");
        for (Finding f : findings) {
            ObjectNode n = list.addObject();
            n.put("level", f.level().keyword());
            n.put("kind", f.kind());
            n.put("where", f.where());
            n.put("subject", f.subject());
            n.put("message", f.message());
            f.related().forEach(n.putArray("related")::add);
            f.example().ifPresent(e -> n.put("example", e.toString()));
        }
        return root;
    }
}
