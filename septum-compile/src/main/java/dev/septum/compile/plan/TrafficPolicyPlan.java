package dev.septum.compile.plan;

import java.util.List;

/**
 * The one traffic-policy a device binds to a VRF: the rules of every model policy of that domain
 * and VRF, in order. Name, description and id come from the first of those policies.
 *
 * @param entries every match in rule order, staged ones included; only a renderer that counts
 *                staged matches without a verdict (nftables) reads them
 * @param matches the matches the device enforces, in order: {@code entries} without the staged
 *                ones, which decide nothing. Always derived from {@code entries} (a value passed
 *                in is replaced); kept so a trace per session does not filter the list again
 */
public record TrafficPolicyPlan(String name, String vrf, String description, int policyId,
                                List<String> policies, List<MatchEntry> entries, List<MatchEntry> matches) {
    public TrafficPolicyPlan {
        policies = List.copyOf(policies);
        entries = List.copyOf(entries);
        matches = entries.stream().filter(m -> !m.staged()).toList();
    }

    public TrafficPolicyPlan(String name, String vrf, String description, int policyId,
                             List<String> policies, List<MatchEntry> entries) {
        this(name, vrf, description, policyId, policies, entries, List.of());
    }
}
