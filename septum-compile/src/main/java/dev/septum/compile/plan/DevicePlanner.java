package dev.septum.compile.plan;

import dev.septum.model.Device;
import dev.septum.model.MonitorObject;
import dev.septum.model.Platform;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.Ref;
import dev.septum.model.Role;
import dev.septum.model.Rule;
import dev.septum.model.SecurityDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the device plans of a validated model. Each domain's traffic-policies are planned once
 * and shared by all its devices, so a 100-switch domain costs one plan, not a hundred.
 */
public final class DevicePlanner {
    private final PolicyModel model;
    private final Map<String, Integer> policyIds;
    private final Map<String, DomainPlan> domainPlans = new HashMap<>();

    private DevicePlanner(PolicyModel model) {
        this.model = model;
        this.policyIds = PolicyIds.assign(model);
    }

    /** Plans for every device, in the order the devices were written. The model must be free of errors. */
    public static List<DevicePlan> plan(PolicyModel model) {
        DevicePlanner planner = new DevicePlanner(model);
        return model.devices().values().stream().map(planner::device).toList();
    }

    /** The plan of one device, if the model has a device of that name. */
    public static Optional<DevicePlan> plan(PolicyModel model, String deviceName) {
        return Optional.ofNullable(model.devices().get(deviceName)).map(new DevicePlanner(model)::device);
    }

    private DevicePlan device(Device device) {
        if (device.role() == Role.MONITOR) {
            return new DevicePlan(device, false, List.of(), List.of(), List.of(), List.of(), flowTracker(device));
        }
        DomainPlan domain = model.domainOf(device).map(this::planOf).orElse(DomainPlan.EMPTY);
        List<MirrorSession> sessions = device.platform() != Platform.EOS ? List.of() : mirrorSessions(device, domain);
        return new DevicePlan(device, PrefixTransform.needed(device), domain.trafficPolicies(), domain.prefixSets(),
                domain.serviceSets(), sessions, Optional.empty());
    }

    private DomainPlan planOf(SecurityDomain domain) {
        return domainPlans.computeIfAbsent(domain.name(), n -> domain(domain));
    }

    /** One traffic-policy per VRF, holding the enabled rules of that VRF's policies by priority. */
    private DomainPlan domain(SecurityDomain domain) {
        FieldSetRegistry fieldSets = new FieldSetRegistry(model);
        MatchExpander expander = new MatchExpander(model, fieldSets);
        Map<String, List<Policy>> byVrf = new LinkedHashMap<>();
        domain.vrfs().forEach(vrf -> byVrf.put(vrf, new ArrayList<>()));
        model.policies().values().stream()
                .filter(p -> p.domain().name().equals(domain.name()))
                // lambdas of this class rather than Comparator's: see FieldSetRegistry.serviceSets
                .sorted((a, b) -> Integer.compare(a.priority(), b.priority()))
                .forEach(p -> byVrf.computeIfAbsent(p.vrf().name(), v -> new ArrayList<>()).add(p));
        List<TrafficPolicyPlan> trafficPolicies = new ArrayList<>();
        byVrf.forEach((vrf, policies) -> {
            if (policies.isEmpty()) {
                return;
            }
            List<MatchEntry> matches = new ArrayList<>();
            for (Policy p : policies) {
                for (Rule r : p.rules()) {
                    // a staged rule's matches are flagged: no device enforces them (TrafficPolicyPlan#matches)
                    if (r.enabled()) {
                        matches.addAll(expander.expand(p.name(), r));
                    }
                }
            }
            Policy first = policies.getFirst();
            trafficPolicies.add(new TrafficPolicyPlan(first.name(), vrf, first.description(),
                    policyIds.get(first.name()), policies.stream().map(Policy::name).toList(), matches));
        });
        return new DomainPlan(trafficPolicies, fieldSets.prefixSets(), fieldSets.serviceSets());
    }

    /**
     * A switch with a loopback (the GRE tunnel's source) gets a session for each monitor object its
     * rules mirror to, and no other: an unused session would still hold a mirror resource on the chip.
     */
    private List<MirrorSession> mirrorSessions(Device device, DomainPlan domain) {
        return device.loopback().map(source -> model.monitors().values().stream()
                .filter(domain::mirrorsTo)
                .map(m -> new MirrorSession(m.name() + MatchExpander.MIRROR_SUFFIX, source, m.tunnelDestination(),
                        m.truncate(), m.rateLimitMbps() * 1000))
                .toList()).orElse(List.of());
    }

    /** A monitor node tracks flows on one GRE tunnel per switch whose rules mirror to it. */
    private Optional<FlowTracker> flowTracker(Device node) {
        Optional<MonitorObject> monitor = model.monitors().values().stream()
                .filter(m -> m.monitorNodes().stream().map(Ref::name).anyMatch(node.name()::equals))
                .findFirst();
        return monitor.map(m -> {
            List<Device> switches = model.devices().values().stream()
                    .filter(d -> d.role() == Role.SWITCH && d.platform() == Platform.EOS && d.loopback().isPresent()
                            && model.domainOf(d).map(this::planOf).filter(p -> p.mirrorsTo(m)).isPresent())
                    .sorted((a, b) -> a.name().compareTo(b.name())).toList();
            List<MonitorTunnel> tunnels = new ArrayList<>();
            for (Device sw : switches) {
                tunnels.add(new MonitorTunnel(tunnels.size(), sw.name(), m.tunnelDestination(), sw.loopback().get()));
            }
            return new FlowTracker(m.activeTimeoutMs(), m.exporterInterface(), tunnels);
        });
    }

    private record DomainPlan(List<TrafficPolicyPlan> trafficPolicies, List<PrefixFieldSet> prefixSets,
                              List<ServiceFieldSet> serviceSets) {
        static final DomainPlan EMPTY = new DomainPlan(List.of(), List.of(), List.of());

        boolean mirrorsTo(MonitorObject monitor) {
            String session = monitor.name() + MatchExpander.MIRROR_SUFFIX;
            return trafficPolicies.stream().flatMap(tp -> tp.matches().stream())
                    .anyMatch(m -> m.mirrorSession().filter(session::equals).isPresent());
        }
    }
}
