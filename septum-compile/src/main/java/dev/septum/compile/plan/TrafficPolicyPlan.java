package dev.septum.compile.plan;

import java.util.List;

/**
 * The one traffic-policy a device binds to a VRF: the rules of every model policy of that domain
 * and VRF, in order. Name, description and id come from the first of those policies.
 */
public record TrafficPolicyPlan(String name, String vrf, String description, int policyId,
                                List<String> policies, List<MatchEntry> matches) {
    public TrafficPolicyPlan {
        policies = List.copyOf(policies);
        matches = List.copyOf(matches);
    }
}
