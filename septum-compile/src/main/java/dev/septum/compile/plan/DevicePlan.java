package dev.septum.compile.plan;

import dev.septum.model.Device;
import java.util.List;
import java.util.Optional;

/**
 * Everything one device enforces or runs, independent of any config syntax. Renderers read only
 * this; field-sets are sorted by name and shared by all matches that use them.
 *
 * @param prefixTransform whether the platform needs {@code transforms interface prefix common
 *                        source-destination} (Strata switches such as the 720XP)
 */
public record DevicePlan(Device device, boolean prefixTransform, List<TrafficPolicyPlan> trafficPolicies,
                         List<PrefixFieldSet> prefixSets, List<ServiceFieldSet> serviceSets,
                         List<MirrorSession> mirrorSessions, Optional<FlowTracker> flowTracker) {
    public DevicePlan {
        trafficPolicies = List.copyOf(trafficPolicies);
        prefixSets = List.copyOf(prefixSets);
        serviceSets = List.copyOf(serviceSets);
        mirrorSessions = List.copyOf(mirrorSessions);
    }

    public String name() {
        return device.name();
    }

    /**
     * This plan's policies on another device, as a Linux box standing in for a switch enforces
     * them: no switch-only parts (prefix transform, mirror sessions, flow tracker).
     */
    public DevicePlan on(Device other) {
        return new DevicePlan(other, false, trafficPolicies, prefixSets, serviceSets, List.of(), Optional.empty());
    }
}
