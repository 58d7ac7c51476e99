package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.IcmpTypes;
import dev.septum.model.Protocol;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import dev.septum.verify.Level;
import dev.septum.verify.analysis.Analysis.Column;
import dev.septum.verify.analysis.Analysis.Note;
import dev.septum.verify.analysis.Analysis.Table;
import dev.septum.verify.analysis.Analysis.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * {@code staged}: per staged rule, the observed sessions it would decide if it were enforced (on
 * some enforcing device, the first match a session meets would be the rule's), their packets and
 * bytes, and how many of them would change verdict: the break-set of promoting it. The controller
 * evaluates staged rules this way, on the monitor node's sessions; no device enforces them.
 *
 * <p>A session is traced as one packet: an ICMP session as an echo request (the store keeps no ICMP
 * type) and a folded client port as 49152, as session tagging does. The verdict changes are the
 * break-set's, exact over every packet a session could be.
 */
public final class StagedAnalysis {
    public static final String KIND = "staged";
    private static final int EPHEMERAL = 49152;
    private static final int EXAMPLES = 3;
    private static final List<Column> COLUMNS = List.of(
            Column.of("policy", "policy", Type.TEXT),
            Column.of("rule", "rule", Type.TEXT),
            Column.of("action", "action", Type.TEXT),
            Column.of("evaluatedBy", "evaluated by", Type.TEXT),
            Column.of("sessions", "sessions it decides", Type.NUMBER),
            Column.of("packets", "packets", Type.NUMBER),
            Column.of("bytes", "bytes", Type.NUMBER),
            Column.of("changed", "sessions changing verdict", Type.NUMBER),
            Column.of("counterPackets", "packets its device counters counted", Type.NUMBER),
            Column.of("countedBy", "counted by", Type.TEXT),
            Column.of("firstSeen", "first seen", Type.TEXT),
            Column.of("lastSeen", "last seen", Type.TEXT),
            Column.of("examples", "e.g.", Type.LINES).below());

    private StagedAnalysis() {
    }

    /** With {@code counters}, each staged rule's row also shows what the devices' staged counters counted. */
    public static Analysis of(PolicyBuild build, String label, BreakSetAnalysis.Observed observed, RuleCounters counters) {
        List<StagedRules.Staged> staged = StagedRules.of(build.model());
        List<List<Object>> rows = new ArrayList<>();
        List<Note> notes = new ArrayList<>();
        List<String> unevaluated = new ArrayList<>();
        for (StagedRules.Staged s : staged) {
            PolicyBuild promoted = StagedRules.promoted(build, s);
            List<String> evaluatedBy = StagedRules.evaluatedBy(build, s);
            if (evaluatedBy.isEmpty()) {
                unevaluated.add(s.label());
            }
            rows.add(row(s, promoted, observed, BreakSetAnalysis.part(build, promoted, observed).brokenSessions(), evaluatedBy,
                    counters.of(s.policy().name(), s.rule().name(), true)));
        }
        if (staged.isEmpty()) {
            notes.add(new Note(Level.INFO, "no rule is staged"));
        } else if (!unevaluated.isEmpty()) {
            notes.add(new Note(Level.ERROR, "nothing evaluates staged rule(s) " + String.join(", ", unevaluated)
                    + ": no device has 'role: monitor', so no sessions are observed to test them on, and no nftables device counts them"));
        }
        notes.add(new Note(Level.INFO, observed.sessions().size() + " sessions tested (" + observed.window() + ")"));
        if (!staged.isEmpty() && counters.hits().isEmpty()) {
            notes.add(new Note(Level.INFO, "no device counters were read (a server reads those it polls): sessions only"));
        }
        SequencedMap<String, String> subject = new LinkedHashMap<>();
        subject.put("policy", label);
        subject.put("sessions", observed.window());
        if (!counters.hits().isEmpty()) {
            subject.put("counters", counters.window());
        }
        return new Analysis(KIND, "staged rules of " + label, subject, List.of(new Table("staged", "staged rules", COLUMNS, rows)), notes);
    }

    private static List<Object> row(StagedRules.Staged s, PolicyBuild promoted, BreakSetAnalysis.Observed observed, long changed,
                                    List<String> evaluatedBy, List<RuleCounters.Hit> counted) {
        long sessions = 0;
        long packets = 0;
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        List<String> examples = new ArrayList<>();
        for (ObservedSession o : observed.sessions()) {
            if (decides(promoted, s, flow(o))) {
                sessions++;
                packets += o.packets();
                bytes += o.bytes();
                first = Math.min(first, o.firstMillis());
                last = Math.max(last, o.lastMillis());
                if (examples.size() < EXAMPLES) {
                    examples.add(o.describe() + " (" + o.packets() + " packets, last seen " + Instant.ofEpochMilli(o.lastMillis()) + ")");
                }
            }
        }
        return Arrays.asList(s.policy().name(), s.rule().name(), s.rule().action().keyword(),
                evaluatedBy.isEmpty() ? "nothing (no monitor node, no nftables device)" : String.join("; ", evaluatedBy), sessions, packets, bytes, changed,
                counted.isEmpty() ? null : RuleCounters.packets(counted),
                counted.isEmpty() ? null : String.join(", ", counted.stream().map(RuleCounters.Hit::device).distinct().toList()),
                sessions == 0 ? null : Instant.ofEpochMilli(first).toString(), sessions == 0 ? null : Instant.ofEpochMilli(last).toString(),
                examples);
    }

    /** Whether the rule would be the first match the packet meets on some enforcing device, in some VRF it enforces. */
    private static boolean decides(PolicyBuild promoted, StagedRules.Staged s, Flow flow) {
        for (DevicePlan plan : promoted.plans()) {
            for (TrafficPolicyPlan tp : plan.trafficPolicies()) {
                boolean decided = FlowTracer.trace(plan, tp.vrf(), flow).flatMap(FlowTracer.Trace::decidedBy)
                        .filter(m -> isOf(m, s)).isPresent();
                if (decided) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isOf(MatchEntry m, StagedRules.Staged s) {
        return m.policy().equals(s.policy().name()) && m.rule().equals(s.rule().name());
    }

    private static Flow flow(ObservedSession o) {
        Protocol p = new Protocol(o.protocol());
        if (IcmpTypes.hasTypes(p)) {
            return new Flow(o.client(), o.server(), o.protocol(), 0, 0);
        }
        return p.hasPorts() ? new Flow(o.client(), o.server(), o.protocol(), o.clientPort() == 0 ? EPHEMERAL : o.clientPort(), o.serverPort())
                : new Flow(o.client(), o.server(), o.protocol(), 0, 0, 0, 0);
    }
}
