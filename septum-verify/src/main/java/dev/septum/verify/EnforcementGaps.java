package dev.septum.verify;

import dev.septum.compile.pipeline.PlatformProfiles;

import com.github.javabdd.BDD;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.TrafficPolicyPlan;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Traffic a rule separates but no enforcing device ever sees: two endpoints on one Linux bridge
 * or VLAN segment talk directly, so the switch's drop rule never applies (the seed's web01 and
 * web02 on one Proxmox bridge). A policy is only as good as the paths that cross it.
 */
public final class EnforcementGaps {
    private EnforcementGaps() {
    }

    /** A host on a segment, by name, address and the subnet (prefix) its interface is configured with. */
    public record Endpoint(String name, IPAddress address, IPAddress subnet) {
        public Endpoint {
            subnet = subnet.toPrefixBlock();
        }
    }

    /** A layer-2 segment (a bridge, a VLAN on one hypervisor) whose members reach each other without any enforcer. */
    public record Segment(String name, List<Endpoint> endpoints) {
        public Segment {
            endpoints = List.copyOf(endpoints);
        }

        /**
         * Whether traffic from a to b stays on this segment: only within one subnet. Hosts of
         * different subnets send to their gateway even on a shared bridge, so the router (the
         * enforcer) sees their traffic.
         */
        public boolean bypasses(Endpoint a, Endpoint b) {
            return a != b && endpoints.contains(a) && endpoints.contains(b)
                    && a.address().isIPv4() == b.address().isIPv4() && a.subnet().equals(b.subnet());
        }
    }

    /**
     * One finding per VRF the enforcing device has a traffic-policy in and per ordered pair of
     * endpoints that bypass it, when that VRF's policy would not forward some of their packets.
     * The lab does not say which VRF a segment is in, so each is checked and named.
     */
    public static List<Finding> find(DevicePlan enforcing, List<Segment> unenforced) {
        List<Finding> out = new ArrayList<>();
        PlanIndex index = new PlanIndex(enforcing);
        for (TrafficPolicyPlan tp : enforcing.trafficPolicies()) {
            for (Segment segment : unenforced) {
                for (Endpoint a : segment.endpoints()) {
                    for (Endpoint b : segment.endpoints()) {
                        if (segment.bypasses(a, b)) {
                            gap(enforcing, tp, index, segment, a, b).ifPresent(out::add);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Optional<Finding> gap(DevicePlan enforcing, TrafficPolicyPlan tp, PlanIndex index, Segment segment,
                                         Endpoint a, Endpoint b) {
        HeaderSpace space = new HeaderSpace(dev.septum.model.IpFamily.of(a.address()));
        DecisionModel decisions = new DecisionModel(tp, new MatchSpaces(space, index), PlatformProfiles.semantics(enforcing.device()));
        BDD pair = space.sourcePrefix(host(a.address())).andWith(space.destinationPrefix(host(b.address())));
        BDD blocked = pair.and(decisions.withVerdict(Verdict.FORWARD).not());
        pair.free();
        if (blocked.isZero()) {
            return Optional.empty();
        }
        Flow example = space.example(blocked);
        blocked.free();
        FlowTracer.Trace trace = FlowTracer.trace(enforcing.name(), tp, index, PlatformProfiles.semantics(enforcing.device()), example);
        return Optional.of(new Finding(Level.WARNING, "enforcement-gap", "segment " + segment.name() + ", VRF " + tp.vrf(),
                a.name() + " -> " + b.name(), "the policy on " + enforcing.name() + " (VRF " + tp.vrf() + ") says " + trace.verdict() + " ("
                + trace.decidingMatch() + "), but both hosts sit on " + segment.name() + " in one subnet, so this traffic never reaches "
                + enforcing.name() + " and passes; fix: isolate the bridge ports and let the router answer ARP for them "
                + "(port isolation plus local proxy ARP hairpins the traffic through the enforcer), or enforce on the "
                + "bridge itself (an nftables device with the 'bridge' tag)", List.of(trace.decidingMatch()),
                Optional.of(example)));
    }

    private static IPAddress host(IPAddress address) {
        return address.setPrefixLength(address.getBitCount(), false);
    }
}
