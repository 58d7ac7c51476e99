package dev.septum.compile.pipeline;

import dev.septum.compile.nftables.NftFamily;
import dev.septum.compile.nftables.NftNames;
import dev.septum.compile.nftables.NftablesRenderer;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchAction;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.Semantics;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.compile.render.ConfigRenderer;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Linux nftables: stateful where every table the device enforces with tracks connections (a
 * bridge table without {@code bridge-conntrack} is as stateless as a switch). Several VRFs on a
 * router, each entered by its Linux VRF device's name ({@link NftNames#vrfDevice}); redirect by policy
 * routing on a router with one VRF ({@link dev.septum.compile.nftables.RedirectRouting}), never on a bridge;
 * monitored rules mirror through NFLOG and {@code septum mirror-agent}.
 */
final class NftablesProfile implements PlatformProfile {
    private final NftablesRenderer renderer = new NftablesRenderer();

    @Override
    public Platform platform() {
        return Platform.NFTABLES;
    }

    @Override
    public ConfigRenderer renderer() {
        return renderer;
    }

    @Override
    public Semantics semantics(Device device) {
        boolean stateful = NftFamily.of(device).stream().allMatch(f -> f.stateful(device));
        return stateful ? Semantics.STATEFUL : Semantics.STATELESS;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, true);
    }

    @Override
    public Optional<Limit> redirectLimit(DevicePlan plan, MatchAction.Redirect redirect) {
        if (NftFamily.of(plan.device()).contains(NftFamily.BRIDGE)) {
            return Optional.of(new Limit("a bridge table switches frames and cannot route them to the redirect's next hops, "
                    + "so the traffic would pass unredirected", "redirect on the Linux router the bridge hangs off (a device "
                    + "without the 'bridge' tag) or on an EOS switch, or make the rule drop or forward"));
        }
        if (plan.trafficPolicies().size() > 1) {
            return Optional.of(new Limit("a router with several VRFs cannot redirect yet (only a one-VRF router can)",
                    "enforce the redirect on a router with one VRF or on an EOS switch, or make the rule drop or forward"));
        }
        long objects = plan.trafficPolicies().stream().flatMap(tp -> tp.entries().stream())
                .filter(m -> !m.staged() && m.action() instanceof MatchAction.Redirect)
                .map(m -> ((MatchAction.Redirect) m.action()).redirectObject()).distinct().count();
        if (objects > NftNames.REDIRECT_MAX) {
            return Optional.of(new Limit("its rules redirect to " + objects + " redirect objects, and a router tells at most "
                    + NftNames.REDIRECT_MAX + " apart (one mark byte each)", "redirect to fewer redirect objects on this router"));
        }
        if (redirect.routerPort().isEmpty()) {
            return Optional.of(new Limit("redirect '" + redirect.redirectObject() + "' has no router-port, the router's "
                    + "interface toward its next hops", "add 'router-port: <interface>' (e.g. eth1) to redirect '"
                    + redirect.redirectObject() + "'"));
        }
        return Optional.empty();
    }

    /**
     * With several VRFs the table sends a packet to its VRF's chain by the interface it came in on,
     * which for a routed packet is its VRF device: so a bridge table (frames are switched, not
     * routed) cannot tell VRFs apart, each VRF name must fit an interface name, and two VRFs may
     * not both have a match of one name (the table keeps one counter per match name).
     */
    @Override
    public List<Limit> vrfLimits(DevicePlan plan) {
        List<String> vrfs = plan.trafficPolicies().stream().map(TrafficPolicyPlan::vrf).toList();
        if (vrfs.size() < 2) {
            return List.of();
        }
        List<Limit> limits = new ArrayList<>();
        if (NftFamily.of(plan.device()).contains(NftFamily.BRIDGE)) {
            limits.add(new Limit("a bridge table switches frames and sees no VRF, so it cannot keep the policies of VRFs "
                    + String.join(", ", vrfs) + " apart", "enforce one VRF per bridge device (a device of a domain with one VRF), "
                    + "and the VRFs on the router the bridge hangs off"));
        }
        vrfs.stream().filter(v -> NftNames.vrfDevice(v).isPresent() && v.length() > NftNames.INTERFACE_NAME_MAX)
                .forEach(v -> limits.add(new Limit("VRF '" + v + "' is told apart by its Linux VRF device, whose name has at most "
                        + NftNames.INTERFACE_NAME_MAX + " characters", "rename the VRF to " + NftNames.INTERFACE_NAME_MAX
                        + " characters or fewer")));
        Map<String, String> vrfOfMatch = new HashMap<>();
        for (TrafficPolicyPlan tp : plan.trafficPolicies()) {
            for (MatchEntry m : tp.entries()) {
                String other = vrfOfMatch.putIfAbsent(m.name(), tp.vrf());
                if (other != null && !other.equals(tp.vrf())) {
                    limits.add(new Limit("match '" + m.name() + "' is in VRFs " + other + " and " + tp.vrf()
                            + ", and the one nftables table keeps one counter per match name",
                            "rename rule '" + m.rule() + "' in one of the VRFs"));
                }
            }
        }
        return limits;
    }

    /**
     * One named counter per match some table keeps: conntrack replaces a stateful table's reverse
     * forwards, a stateless bridge table keeps them. A staged match counts too (it has a counter and
     * no verdict), so polling reads what the staged rule would decide like any rule's hits.
     */
    @Override
    public List<String> counterNames(DevicePlan plan) {
        Device device = plan.device();
        return plan.trafficPolicies().stream().flatMap(tp -> tp.entries().stream())
                .filter(m -> NftFamily.of(device).stream()
                        .anyMatch(f -> (f.stateful(device) ? Semantics.STATEFUL : Semantics.STATELESS).applies(m)))
                .map(m -> NftNames.counter(m.name())).toList();
    }
}
