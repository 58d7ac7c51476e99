package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.Role;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import dev.septum.verify.FlowTracer.Trace;
import dev.septum.verify.Level;
import dev.septum.verify.analysis.Analysis.Column;
import dev.septum.verify.analysis.Analysis.Note;
import dev.septum.verify.analysis.Analysis.Table;
import dev.septum.verify.analysis.Analysis.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * {@code trace}: one packet through every enforcing device and every VRF it enforces (or one
 * device, one VRF): per traced traffic-policy the verdict, the match and rule that decide it, and
 * why each earlier match missed.
 */
public final class TraceAnalysis {
    public static final String KIND = "trace";
    private static final List<Column> COLUMNS = List.of(
            Column.of("device", "device", Type.TEXT),
            Column.of("semantics", "semantics", Type.TEXT),
            Column.of("trafficPolicy", "traffic-policy", Type.TEXT),
            Column.of("vrf", "VRF", Type.TEXT),
            Column.of("verdict", "verdict", Type.TEXT),
            Column.of("match", "deciding match", Type.TEXT),
            Column.of("policy", "policy", Type.TEXT),
            Column.of("rule", "rule", Type.TEXT),
            Column.of("misses", "earlier matches missed", Type.LINES).below());

    private TraceAnalysis() {
    }

    /** Every parameter trace reads, and what it means. */
    public static SequencedMap<String, String> parameters() {
        SequencedMap<String, String> p = FlowParameters.described();
        p.put(Scope.DEVICE, "trace on this device only (default: every enforcing device)");
        p.put(Scope.VRF, "VRF of the packet (default: every VRF each device enforces, each traced)");
        return p;
    }

    /**
     * @param policy   names the policy analysed, e.g. its directory or {@code version 3}
     * @param topology the network around the policy, when known: a packet between two hosts on one
     *                 unenforced segment bypasses every verdict, and the answer says so
     */
    public static Analysis of(PolicyBuild build, String policy, Parameters parameters, Optional<? extends Topology> topology) {
        Flow flow = FlowParameters.flow(parameters);
        Optional<String> device = parameters.get(Scope.DEVICE);
        Optional<String> vrf = parameters.get(Scope.VRF);
        device.ifPresent(d -> Scope.device(build, d));
        List<DevicePlan> enforcing = build.plans().stream()
                .filter(p -> p.device().role() == Role.SWITCH)
                .filter(p -> device.isEmpty() || p.name().equals(device.get())).toList();
        vrf.ifPresent(v -> Scope.requireEnforced(enforcing, v));
        List<Trace> traces = enforcing.stream()
                .flatMap(p -> p.trafficPolicies().stream().map(TrafficPolicyPlan::vrf)
                        .filter(v -> vrf.isEmpty() || vrf.get().equals(v))
                        .map(v -> FlowTracer.trace(p, v, flow)).flatMap(Optional::stream)).toList();
        List<List<Object>> rows = traces.stream().map(TraceAnalysis::row).toList();
        List<Note> notes = new ArrayList<>();
        if (traces.isEmpty()) {
            notes.add(new Note(Level.INFO, "no device enforces a traffic-policy here: the packet is forwarded unchecked"));
        }
        topology.flatMap(t -> t.shared(flow.source(), flow.destination())).ifPresent(s -> notes.add(new Note(Level.WARNING,
                "both hosts sit on " + s.name() + ": this packet never crosses an enforcing device, so it passes whatever "
                        + "the verdict above (fix: bridge port isolation plus proxy ARP, or enforce on the bridge)")));
        SequencedMap<String, String> subject = new LinkedHashMap<>();
        subject.put("policy", policy);
        subject.put("flow", flow.toString());
        device.ifPresent(d -> subject.put(Scope.DEVICE, d));
        vrf.ifPresent(v -> subject.put(Scope.VRF, v));
        return new Analysis(KIND, "flow " + flow, subject, List.of(new Table("traces", "traffic-policies traced", COLUMNS, rows)), notes);
    }

    private static List<Object> row(Trace t) {
        return Arrays.asList(t.device(), t.semantics().name().toLowerCase(Locale.ROOT), t.trafficPolicy(), t.vrf(),
                t.verdict().keyword(), t.decidingMatch(), t.decidedBy().map(m -> m.policy()).orElse(null),
                t.decidedBy().map(m -> m.rule()).orElse(null),
                t.misses().stream().map(m -> m.match().name() + ": " + m.reason()).toList());
    }
}
