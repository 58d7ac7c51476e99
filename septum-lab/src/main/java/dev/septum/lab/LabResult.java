package dev.septum.lab;

import dev.septum.deploy.nftables.CounterReading;
import java.util.List;

/**
 * What a lab run saw: every probe of every scenario, the enforcers' rule counters after each
 * scenario, and what the monitor node stored of the probes that expect something of it.
 */
public record LabResult(List<Row> rows, List<ScenarioCounters> counters, List<MirrorCheck> mirrorChecks, long elapsedMillis) {
    public LabResult {
        rows = List.copyOf(rows);
        counters = List.copyOf(counters);
        mirrorChecks = List.copyOf(mirrorChecks);
    }

    /**
     * One probe in one scenario.
     *
     * @param policy    what the policy says (the seed's test matrix)
     * @param predicted what this scenario should show: the policy's verdict, or {@code allow} where
     *                  the traffic cannot reach any enforcer (same bridge, no isolation)
     * @param observed  what the real traffic did
     */
    public record Row(String scenario, LabSpec.Probe probe, LabSpec.Verdict policy, LabSpec.Verdict predicted,
                      String observed, boolean gap, String detail) {
        public boolean matches() {
            return observed.equals(switch (predicted) {
                case ALLOW -> "allowed";
                case DROP -> "dropped";
                case REDIRECT -> LabNextHops.REDIRECTED;
            });
        }
    }

    public record ScenarioCounters(String scenario, String enforcer, List<CounterReading> readings) {
        public ScenarioCounters {
            readings = List.copyOf(readings);
        }
    }

    /** One probe's {@code mirrored} expectation in one scenario against the monitor node's store. */
    public record MirrorCheck(String scenario, LabSpec.Probe probe, String expected, String observed, boolean matches) {
    }

    public boolean allMatch() {
        return rows.stream().allMatch(Row::matches) && mirrorChecks.stream().allMatch(MirrorCheck::matches);
    }

    public List<Row> mismatches() {
        return rows.stream().filter(r -> !r.matches()).toList();
    }
}
