package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.model.Role;
import dev.septum.verify.ReachabilityMatrix;
import dev.septum.verify.ReachabilityMatrix.Cell;
import dev.septum.verify.analysis.Analysis.Column;
import dev.septum.verify.analysis.Analysis.Table;
import dev.septum.verify.analysis.Analysis.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * {@code reach}: for every pair of groups through one device's policy in one VRF, and the
 * addresses outside every group on either side, the services forwarded wholly, in part, and
 * redirected, and what happens to all other traffic.
 */
public final class ReachAnalysis {
    public static final String KIND = "reach";
    private static final String DEFAULT_VRF = "ALL";
    private static final List<Column> COLUMNS = List.of(
            Column.of("source", "source", Type.TEXT),
            Column.of("destination", "destination", Type.TEXT),
            Column.of("otherTraffic", "other traffic", Type.TEXT),
            Column.of("services", "services", Type.LIST),
            Column.of("partly", "in part", Type.LIST).below(),
            Column.of("redirected", "redirected", Type.LIST).below());

    private ReachAnalysis() {
    }

    public static SequencedMap<String, String> parameters() {
        SequencedMap<String, String> p = new LinkedHashMap<>();
        p.put(Scope.DEVICE, "the enforcing device (default: the first switch with a policy)");
        p.put(Scope.VRF, "the VRF (default " + DEFAULT_VRF + ")");
        return p;
    }

    public static Analysis of(PolicyBuild build, String policy, Parameters parameters) {
        String vrf = parameters.get(Scope.VRF).orElse(DEFAULT_VRF);
        DevicePlan plan = parameters.get(Scope.DEVICE).map(d -> Scope.device(build, d)).orElseGet(() -> build.plans().stream()
                .filter(p -> p.device().role() == Role.SWITCH && !p.trafficPolicies().isEmpty()).findFirst()
                .orElseThrow(() -> new BadParameter(Scope.DEVICE, "is needed: no switch enforces a policy here",
                        "name the device to analyse, or bind a policy to a domain with a switch")));
        Scope.requireEnforced(List.of(plan), vrf);
        List<List<Object>> rows = ReachabilityMatrix.compute(build.model(), plan, vrf).stream().map(ReachAnalysis::row).toList();
        SequencedMap<String, String> subject = new LinkedHashMap<>();
        subject.put("policy", policy);
        subject.put(Scope.DEVICE, plan.name());
        subject.put(Scope.VRF, vrf);
        return new Analysis(KIND, "reachability through " + plan.name() + " (VRF " + vrf + ")", subject,
                List.of(new Table("pairs", "pairs of groups", COLUMNS, rows)), List.of());
    }

    private static List<Object> row(Cell c) {
        return Arrays.asList(c.source(), c.destination(), c.otherTraffic().keyword(), c.services(), c.partly(),
                c.redirected().stream().map(Object::toString).toList());
    }
}
