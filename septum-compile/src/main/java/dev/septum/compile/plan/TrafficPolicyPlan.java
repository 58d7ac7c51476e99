package dev.septum.compile.plan;

import java.util.List;

/**
 * The one traffic-policy a device binds to a VRF: the rules of every model policy of that domain
 * and VRF, in order. Name, description and id come from the first of those policies.
 *
 * @param entries every match in rule order, staged ones included; only a renderer that counts
 *                staged matches without a verdict (nftables) reads them
 */
public record TrafficPolicyPlan(String name, String vrf, String description, int policyId,
                                List<String> policies, List<MatchEntry> entries) {
    public TrafficPolicyPlan {
        policies = List.copyOf(policies);
        entries = List.copyOf(entries);
    }

    /** The matches the device enforces, in order: staged matches decide nothing. */
    public List<MatchEntry> matches() {
        return entries.stream().filter(m -> !m.staged()).toList();
    }
}
