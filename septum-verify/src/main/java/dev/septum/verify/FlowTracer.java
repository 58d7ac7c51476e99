package dev.septum.verify;

import dev.septum.compile.pipeline.PlatformProfiles;
import dev.septum.compile.plan.Semantics;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.PrefixFieldSet;
import dev.septum.compile.plan.ServiceFieldSet;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.PortSpec;
import dev.septum.model.IcmpTypes;
import dev.septum.model.ServiceEntry;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Walks one concrete packet through a device's traffic-policy the way the device does: matches
 * in order, first match wins, no match forwards. Records why every earlier match missed.
 */
public final class FlowTracer {
    private FlowTracer() {
    }

    /** A match the packet passed by, and the first criterion that did not hold. */
    public record Miss(MatchEntry match, String reason) {
    }

    /**
     * @param decidedBy empty when no match applied and the built-in default forwarded
     */
    public record Trace(String device, String trafficPolicy, String vrf, Semantics semantics, Flow flow,
                       Verdict verdict, Optional<MatchEntry> decidedBy, List<Miss> misses) {
        public Trace {
            misses = List.copyOf(misses);
        }

        /** The EOS match name that decided, or the built-in default. */
        public String decidingMatch() {
            return decidedBy.map(MatchEntry::name).orElse(flow.family().keyword() + "-all-default");
        }
    }

    public static Optional<Trace> trace(DevicePlan plan, String vrf, Flow flow) {
        Semantics semantics = PlatformProfiles.semantics(plan.device());
        PlanIndex index = new PlanIndex(plan);
        return policyFor(plan, vrf).map(tp -> trace(plan.name(), tp, index, semantics, flow));
    }

    /** The traffic-policy bound to the VRF, else the one bound to all VRFs. */
    static Optional<TrafficPolicyPlan> policyFor(DevicePlan plan, String vrf) {
        return plan.trafficPolicies().stream().filter(tp -> tp.vrf().equals(vrf)).findFirst()
                .or(() -> plan.trafficPolicies().stream().filter(tp -> tp.vrf().equals("ALL")).findFirst());
    }

    static Trace trace(String device, TrafficPolicyPlan tp, PlanIndex index, Semantics semantics, Flow flow) {
        List<Miss> misses = new ArrayList<>();
        for (MatchEntry m : tp.matches()) {
            Optional<String> miss = whyNot(m, index, semantics, flow);
            if (miss.isEmpty()) {
                return new Trace(device, tp.name(), tp.vrf(), semantics, flow, Verdict.of(m.action()), Optional.of(m), misses);
            }
            misses.add(new Miss(m, miss.get()));
        }
        return new Trace(device, tp.name(), tp.vrf(), semantics, flow, Verdict.FORWARD, Optional.empty(), misses);
    }

    /**
     * A device's traffic-policy for one VRF, indexed once, deciding packets as {@link #trace} does but
     * without telling why the earlier matches missed: for callers deciding thousands of packets (the
     * session tagger, the semantic diff's deciders), whom the reasons' text would cost most of the trace.
     */
    public static final class Decider {
        private final String device;
        private final TrafficPolicyPlan tp;
        private final PlanIndex index;
        private final Semantics semantics;

        private Decider(DevicePlan plan, TrafficPolicyPlan tp) {
            this.device = plan.name();
            this.tp = tp;
            this.index = new PlanIndex(plan);
            this.semantics = PlatformProfiles.semantics(plan.device());
        }

        /** The trace of the packet with no misses listed. */
        public Trace decide(Flow flow) {
            for (MatchEntry m : tp.matches()) {
                if (missed(m, index, semantics, flow).isEmpty()) {
                    return new Trace(device, tp.name(), tp.vrf(), semantics, flow, Verdict.of(m.action()), Optional.of(m), List.of());
                }
            }
            return new Trace(device, tp.name(), tp.vrf(), semantics, flow, Verdict.FORWARD, Optional.empty(), List.of());
        }
    }

    /** The decider of the traffic-policy bound to the VRF (else to all VRFs); empty when there is none. */
    public static Optional<Decider> decider(DevicePlan plan, String vrf) {
        return policyFor(plan, vrf).map(tp -> new Decider(plan, tp));
    }

    /** The criteria of a match, in the order they are checked. */
    private enum Criterion {
        FAMILY, REPLY, SOURCE, DESTINATION, SERVICE
    }

    /** The first criterion of the match the packet fails, empty when the match applies to it. */
    private static Optional<Criterion> missed(MatchEntry m, PlanIndex index, Semantics semantics, Flow flow) {
        if (m.family() != flow.family()) {
            return Optional.of(Criterion.FAMILY);
        }
        if (!semantics.applies(m)) {
            return Optional.of(Criterion.REPLY);
        }
        if (!m.sourceSets().isEmpty() && !inAny(flow.source(), m.sourceSets(), index)) {
            return Optional.of(Criterion.SOURCE);
        }
        if (!m.destinationSets().isEmpty() && !inAny(flow.destination(), m.destinationSets(), index)) {
            return Optional.of(Criterion.DESTINATION);
        }
        if (!m.serviceSets().isEmpty() && m.serviceSets().stream()
                .noneMatch(s -> index.serviceSet(s).entries().stream().anyMatch(e -> matches(e, flow)))) {
            return Optional.of(Criterion.SERVICE);
        }
        return Optional.empty();
    }

    /** Empty when the match applies to the packet, else the reason it does not. */
    static Optional<String> whyNot(MatchEntry m, PlanIndex index, Semantics semantics, Flow flow) {
        return missed(m, index, semantics, flow).map(c -> switch (c) {
            case FAMILY -> "matches " + m.family().keyword() + " only";
            case REPLY -> "reply match of a forward rule: a stateful device lets replies pass by connection tracking only";
            case SOURCE -> "source " + host(flow.source()) + " is not in " + String.join(", ", m.sourceSets());
            case DESTINATION -> "destination " + host(flow.destination()) + " is not in " + String.join(", ", m.destinationSets());
            case SERVICE -> flow.service() + " is not in service " + m.serviceSets().stream()
                    .map(s -> describe(index.serviceSet(s))).collect(Collectors.joining(", "));
        });
    }

    private static boolean inAny(IPAddress address, List<String> sets, PlanIndex index) {
        IPAddress host = address.withoutPrefixLength();
        return sets.stream().map(index::prefixSet).map(PrefixFieldSet::prefixes).flatMap(List::stream)
                .anyMatch(p -> p.contains(host));
    }

    /**
     * True when the packet is of this service entry: its protocol and, for TCP/UDP, both ports, for
     * an entry with an ICMP type, that type (and code).
     */
    public static boolean matches(ServiceEntry e, Flow flow) {
        if (e.protocol().number() != flow.protocol()) {
            return false;
        }
        if (e.icmp().isPresent()) {
            return e.icmp().get().matches(flow.icmpType(), flow.icmpCode());
        }
        return !e.protocol().hasPorts()
                || e.sourcePorts().contains(flow.sourcePort()) && e.destinationPorts().contains(flow.destinationPort());
    }

    private static String describe(ServiceFieldSet set) {
        return set.name() + " (" + set.entries().stream().map(FlowTracer::describe).collect(Collectors.joining("; ")) + ")";
    }

    static String describe(ServiceEntry e) {
        if (e.icmp().isPresent()) {
            return e.protocol().keyword() + " " + IcmpTypes.describe(e.protocol(), e.icmp().get().type(), e.icmp().get().code());
        }
        if (!e.protocol().hasPorts()) {
            return e.protocol().keyword();
        }
        return e.protocol().keyword() + " " + ports(e.sourcePorts()) + " -> " + ports(e.destinationPorts());
    }

    private static String ports(PortSpec ports) {
        return ports.isAll() ? "any" : ports.items().stream()
                .map(i -> i.low() == i.high() ? Integer.toString(i.low()) : i.low() + "-" + i.high())
                .collect(Collectors.joining(","));
    }

    private static String host(IPAddress a) {
        return a.withoutPrefixLength().toCanonicalString();
    }
}
