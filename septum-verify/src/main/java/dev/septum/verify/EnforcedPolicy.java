package dev.septum.verify;

import dev.septum.compile.pipeline.PlatformProfiles;
import dev.septum.compile.plan.Semantics;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.TrafficPolicyPlan;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A traffic-policy as enforced: the devices of a domain share one plan, so it is analysed once
 * per semantics (stateless EOS, stateful nftables) rather than once per device.
 */
public record EnforcedPolicy(TrafficPolicyPlan policy, PlanIndex index, Semantics semantics, List<String> devices) {
    public EnforcedPolicy {
        devices = List.copyOf(devices);
    }

    /** {@code vrf_all_home (VRF ALL)}. */
    public String label() {
        return policy.name() + " (VRF " + policy.vrf() + ")";
    }

    /** The distinct enforced policies of a set of device plans, in device order. */
    public static List<EnforcedPolicy> of(List<DevicePlan> plans) {
        Map<TrafficPolicyPlan, Map<Semantics, List<String>>> devices = new IdentityHashMap<>();
        Map<TrafficPolicyPlan, PlanIndex> indexes = new IdentityHashMap<>();
        List<TrafficPolicyPlan> order = new ArrayList<>();
        for (DevicePlan plan : plans) {
            for (TrafficPolicyPlan tp : plan.trafficPolicies()) {
                if (!devices.containsKey(tp)) {
                    order.add(tp);
                    indexes.put(tp, new PlanIndex(plan));
                }
                devices.computeIfAbsent(tp, k -> new java.util.EnumMap<>(Semantics.class))
                        .computeIfAbsent(PlatformProfiles.semantics(plan.device()), k -> new ArrayList<>())
                        .add(plan.name());
            }
        }
        List<EnforcedPolicy> result = new ArrayList<>();
        for (TrafficPolicyPlan tp : order) {
            devices.get(tp).forEach((semantics, names) -> result.add(new EnforcedPolicy(tp, indexes.get(tp), semantics, names)));
        }
        return result;
    }
}
