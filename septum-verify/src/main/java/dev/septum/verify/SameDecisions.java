package dev.septum.verify;

import dev.septum.compile.pipeline.PlatformProfiles;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.PrefixFieldSet;
import dev.septum.compile.plan.Semantics;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.IpFamily;
import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether two versions of an enforced VRF decide every packet of one family alike because they say
 * the same thing: the same matches of that family in the same order, under the same semantics,
 * naming field-sets of the same content. The semantic diff builds no BDD for such a pair: a change
 * to one device's rules (a workspace, a proposal) leaves the other devices and families equal, and
 * their diff empty. Anything short of equal is compared packet by packet, so this only ever spares work.
 */
final class SameDecisions {
    private SameDecisions() {
    }

    static boolean of(Optional<DevicePlan> a, Optional<DevicePlan> b, String vrf, IpFamily family) {
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        Semantics semantics = PlatformProfiles.semantics(a.get().device());
        if (semantics != PlatformProfiles.semantics(b.get().device())) {
            return false;
        }
        Optional<TrafficPolicyPlan> ta = FlowTracer.policyFor(a.get(), vrf);
        Optional<TrafficPolicyPlan> tb = FlowTracer.policyFor(b.get(), vrf);
        if (ta.isEmpty() || tb.isEmpty()) {
            return ta.isEmpty() && tb.isEmpty();
        }
        List<MatchEntry> matches = applied(ta.get(), family, semantics);
        if (!matches.equals(applied(tb.get(), family, semantics))) {
            return false;
        }
        PlanIndex ia = new PlanIndex(a.get());
        PlanIndex ib = new PlanIndex(b.get());
        for (MatchEntry m : matches) {
            boolean prefixes = Stream.concat(m.sourceSets().stream(), m.destinationSets().stream())
                    .allMatch(n -> samePrefixes(ia.prefixSet(n), ib.prefixSet(n)));
            if (!prefixes || !m.serviceSets().stream().allMatch(n -> Objects.equals(ia.serviceSet(n), ib.serviceSet(n)))) {
                return false;
            }
        }
        return true;
    }

    private static List<MatchEntry> applied(TrafficPolicyPlan tp, IpFamily family, Semantics semantics) {
        return tp.matches().stream().filter(m -> m.family() == family && semantics.applies(m)).toList();
    }

    /**
     * The same prefixes, lengths included: {@link IPAddress#equals} ignores a prefix length that is
     * not a block's (10.1.2.3/24 equals 10.1.2.3), while a match reads the length.
     */
    private static boolean samePrefixes(PrefixFieldSet a, PrefixFieldSet b) {
        if (a == null || b == null || a.family() != b.family() || a.prefixes().size() != b.prefixes().size()) {
            return false;
        }
        for (int i = 0; i < a.prefixes().size(); i++) {
            IPAddress x = a.prefixes().get(i);
            IPAddress y = b.prefixes().get(i);
            if (!x.equals(y) || !Objects.equals(x.getNetworkPrefixLength(), y.getNetworkPrefixLength())) {
                return false;
            }
        }
        return true;
    }
}
