package dev.septum.lab;

import dev.septum.compile.nftables.NftNames;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.TrafficPolicyPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VRFs of the lab's routers, as their policy devices' plans give them, and lab.yaml's VRF fields
 * checked against them. A router whose device enforces several VRFs is built as one namespace per VRF
 * (VRF-lite: the kernels here have no VRF devices, {@code CONFIG_NET_VRF} is off), each routing its
 * VRF's subnets through one bridge named as the VRF device would be, so the forward hook reports the
 * same input interface the ruleset tells VRFs apart by.
 */
final class LabVrfs {
    /** The main table's stand-in: a name no VRF device matches, so its packets go to the VRF {@code default}. */
    static final String MAIN_TABLE_BRIDGE = "septum-main";

    private final Map<String, List<String>> byRouter;

    private LabVrfs(Map<String, List<String>> byRouter) {
        this.byRouter = byRouter;
    }

    /** Routers with several VRFs, each with its VRFs, the uplink VRF first; throws with every problem of lab.yaml's VRF fields. */
    static LabVrfs of(LabSpec spec, PolicyBuild build, Path file) {
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> byRouter = new LinkedHashMap<>();
        for (LabSpec.Router r : spec.routers()) {
            String device = spec.policyDevice(r);
            List<String> vrfs = build.plan(device).orElseThrow().trafficPolicies().stream().map(TrafficPolicyPlan::vrf).toList();
            String enforces = "router " + r.name() + " enforces " + device + ", whose VRFs are " + String.join(", ", vrfs);
            for (LabSpec.Subnet s : spec.subnets()) {
                if (!s.router().equals(r.name())) {
                    continue;
                }
                s.vrf().filter(v -> !vrfs.contains(v)).ifPresent(v -> problems.add(file + ": subnet '" + s.name() + "', field 'vrf': "
                        + enforces + ". Fix: use one of them"));
                if (s.vrf().isEmpty() && vrfs.size() > 1) {
                    problems.add(file + ": subnet '" + s.name() + "', field 'vrf': is missing: " + enforces
                            + ", and each of its subnets is in one. Fix: add vrf: NAME, one of " + String.join(", ", vrfs));
                }
            }
            r.uplinkVrf().filter(v -> !vrfs.contains(v)).ifPresent(v -> problems.add(file + ": router '" + r.name()
                    + "', field 'uplink-vrf': " + enforces + ". Fix: use one of them"));
            if (vrfs.size() > 1) {
                vrfs.forEach(v -> clash(spec, namespaceName(r, v), file, problems));
                List<String> ordered = new ArrayList<>(vrfs);
                String uplink = r.uplinkVrf().filter(vrfs::contains).orElse(vrfs.getFirst());
                ordered.remove(uplink);
                ordered.addFirst(uplink);
                byRouter.put(r.name(), List.copyOf(ordered));
                severalVrfLimits(spec, r, enforces, file, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new LabSpecException(problems);
        }
        return new LabVrfs(byRouter);
    }

    /** The namespace name, before the lab's prefix, of a router's VRF. */
    static String namespaceName(LabSpec.Router router, String vrf) {
        return router.name() + "." + vrf;
    }

    private static void clash(LabSpec spec, String name, Path file, List<String> problems) {
        List<String> taken = new ArrayList<>();
        spec.hosts().forEach(h -> taken.add("host '" + h.name() + "'"));
        spec.bridges().forEach(b -> taken.add("bridge '" + b.name() + "'"));
        spec.routers().forEach(r -> taken.add("router '" + r.name() + "'"));
        taken.stream().filter(t -> t.endsWith(" '" + name + "'")).forEach(t -> problems.add(file + ": " + t
                + ", field 'name': is also the name of a VRF's namespace (ROUTER.VRF). Fix: rename it"));
    }

    /** What the lab does not build on a router with several VRFs. */
    private static void severalVrfLimits(LabSpec spec, LabSpec.Router r, String enforces, Path file, List<String> problems) {
        spec.bridges().stream().filter(b -> b.router().equals(r.name())).forEach(b -> problems.add(file + ": bridge '" + b.name()
                + "', field 'router': " + enforces + ", and a bridge table sees no VRF. Fix: hang the bridge off a router with one VRF"));
        spec.hosts().stream().filter(h -> h.address() != null && h.address().isIPv6()
                        && spec.subnet(h.subnet()).map(s -> s.router().equals(r.name())).orElse(false))
                .forEach(h -> problems.add(file + ": host '" + h.name() + "', field 'address': " + enforces
                        + ", and the lab builds IPv4 hosts only on a router with several VRFs. Fix: use an IPv4 address"));
        if (spec.monitor().isPresent() && spec.router().equals(r)) {
            problems.add(file + ": monitor, field 'host': the mirror agent runs on the core router, and " + enforces
                    + ". Fix: make a router with one VRF the core (first in routers:)");
        }
    }

    /** The VRFs of {@code router}, its uplink VRF first; empty when it enforces one VRF (one namespace). */
    List<String> of(LabSpec.Router router) {
        return byRouter.getOrDefault(router.name(), List.of());
    }

    /** The interface the forward hook reports for packets routed in {@code vrf}: its VRF device's name. */
    static String device(String vrf) {
        return NftNames.vrfDevice(vrf).orElse(MAIN_TABLE_BRIDGE);
    }

    /** The VRF a subnet is routed in, when its router has several VRFs (one namespace per VRF). */
    Optional<String> vrfOf(LabSpec spec, LabSpec.Subnet subnet) {
        return of(spec.routerOf(subnet)).isEmpty() ? Optional.empty() : subnet.vrf();
    }
}
