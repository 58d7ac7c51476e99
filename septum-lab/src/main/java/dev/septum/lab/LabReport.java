package dev.septum.lab;

import dev.septum.deploy.nftables.CounterReading;
import java.io.PrintWriter;
import java.util.List;

/** Prints a lab run as a table of expected against observed, per scenario, then the rule counters. */
public final class LabReport {
    private LabReport() {
    }

    public static void print(PrintWriter out, LabSpec spec, LabResult result) {
        int width = Math.max(28, result.rows().stream().mapToInt(r -> r.probe().label().length()).max().orElse(0) + 2);
        String format = "  %-" + width + "s %-7s %-9s %-9s %s%n";
        for (LabSpec.Scenario scenario : spec.scenarios()) {
            List<LabResult.Row> rows = result.rows().stream().filter(r -> r.scenario().equals(scenario.name())).toList();
            out.println();
            out.println("scenario " + scenario.name() + (scenario.description().isEmpty() ? "" : ": " + scenario.description()));
            out.printf(format, "probe", "policy", "expected", "observed", "result");
            for (LabResult.Row r : rows) {
                String verdict = r.matches() ? (r.gap() ? "ok (GAP: same bridge, no enforcer sees it; the policy is bypassed)" : "ok")
                        : "MISMATCH" + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")");
                out.printf(format, r.probe().label(), r.policy().keyword(), r.predicted().keyword(), r.observed(), verdict);
            }
            List<LabResult.MirrorCheck> checks = result.mirrorChecks().stream().filter(c -> c.scenario().equals(scenario.name())).toList();
            if (!checks.isEmpty()) {
                out.printf(format, "monitor node " + spec.monitor().orElseThrow().host(), "", "expected", "observed", "result");
                for (LabResult.MirrorCheck c : checks) {
                    out.printf(format, c.probe().label(), "", c.expected(), c.observed(), c.matches() ? "ok" : "MISMATCH");
                }
            }
            for (LabResult.ScenarioCounters c : result.counters()) {
                if (c.scenario().equals(scenario.name())) {
                    out.println("  counters on " + c.enforcer() + ": " + counters(c.readings()));
                }
            }
        }
        long gaps = result.rows().stream().filter(LabResult.Row::gap).count();
        long mirrorMismatches = result.mirrorChecks().stream().filter(c -> !c.matches()).count();
        out.println();
        out.printf("%d probes, %d as expected, %d mismatches, %d shown bypassing the policy%s; %.1f s%n",
                result.rows().size(), result.rows().size() - result.mismatches().size(), result.mismatches().size(), gaps,
                result.mirrorChecks().isEmpty() ? "" : "; monitor: " + result.mirrorChecks().size() + " checks, "
                        + mirrorMismatches + " mismatches", result.elapsedMillis() / 1000.0);
        out.flush();
    }

    private static String counters(List<CounterReading> readings) {
        List<String> hits = readings.stream().filter(r -> r.packets() > 0).map(r -> r.match() + "=" + r.packets()).toList();
        return hits.isEmpty() ? "no rule hit" : String.join(" ", hits) + " (packets per rule)";
    }
}
