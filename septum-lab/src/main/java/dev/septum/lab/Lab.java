package dev.septum.lab;

import dev.septum.compile.nftables.RedirectRouting;
import dev.septum.compile.nftables.NftFamily;
import dev.septum.compile.nftables.NftNames;
import dev.septum.compile.plan.MirrorSession;
import dev.septum.compile.pipeline.DeviceBuild;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.deploy.nftables.ApplyResult;
import dev.septum.deploy.nftables.NftTarget;
import dev.septum.deploy.nftables.NftablesDriver;
import dev.septum.model.Device;
import dev.septum.model.MonitorObject;
import dev.septum.model.Platform;
import dev.septum.model.Role;
import dev.septum.model.SourceLocation;
import dev.septum.model.validate.Diagnostic;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds a policy directory's lab, enforces the policy with Septum's nftables output, replays the
 * probes in every scenario and tears everything down, also when something fails. The Linux
 * devices enforce the plan of {@code policy-device} (the seed's 720XP), rendered for them: the
 * router gets an inet table, each hypervisor bridge a bridge table in scenarios that ask for it.
 * With several routers each enforces its own device's plan (its bridges too).
 */
public final class Lab {
    /** Namespaces of {@code bin/septum lab} start with this; tests pass their own per-run prefix. */
    public static final String DEFAULT_PREFIX = "sxl-";

    private final LabSpec spec;
    private final PolicyBuild build;
    private final Topology topology;
    private final Consumer<String> log;
    private final LabMonitor monitor;
    private final LabVrfs vrfs;
    private final LabNextHops nextHops;

    private Lab(LabSpec spec, PolicyBuild build, String prefix, Consumer<String> log, LabMonitor monitor, LabVrfs vrfs) {
        this.spec = spec;
        this.build = build;
        this.vrfs = vrfs;
        this.topology = new Topology(spec, prefix, vrfs);
        this.nextHops = new LabNextHops(RedirectRouting.of(build.plan(spec.policyDevice(spec.router())).orElseThrow()),
                topology.routerNamespace(), topology);
        this.log = log;
        this.monitor = monitor;
    }

    /** Reads {@code dir}'s policy and {@code lab.yaml}; throws with every problem when either is unusable. */
    public static Lab open(Path dir, String prefix, Consumer<String> log) {
        PolicyBuild build = PolicyBuild.of(PolicySource.directory(dir));
        if (!build.ok()) {
            throw new LabException("the policy in " + dir + " has errors; run: septum validate " + dir);
        }
        return open(dir, build, prefix, log);
    }

    /** As {@link #open(Path, String, Consumer)} with the directory's policy already built (and valid); no monitor node. */
    public static Lab open(Path dir, PolicyBuild build, String prefix, Consumer<String> log) {
        return open(dir, build, prefix, log, LabMonitor.NONE);
    }

    /** As above, with {@code monitor} running the monitor node when lab.yaml declares one. */
    public static Lab open(Path dir, PolicyBuild build, String prefix, Consumer<String> log, LabMonitor monitor) {
        LabSpec spec = LabSpecLoader.load(dir);
        List<String> unknown = spec.routers().stream().filter(r -> build.plan(spec.policyDevice(r)).isEmpty())
                .map(r -> dir.resolve(LabSpecLoader.FILE) + ": " + (r.policyDevice().isPresent() ? "router '" + r.name() + "'" : "lab")
                        + ", field 'policy-device': no device is named '" + spec.policyDevice(r) + "'. Fix: use one of "
                        + String.join(", ", build.model().devices().keySet())).distinct().toList();
        if (!unknown.isEmpty()) {
            throw new LabSpecException(unknown);
        }
        LabVrfs vrfs = LabVrfs.of(spec, build, dir.resolve(LabSpecLoader.FILE));
        Lab lab = new Lab(spec, build, prefix, log, monitor, vrfs);
        lab.redirectsTheLabCanBuild();
        spec.routers().forEach(lab::routerConfig); // a plan the Linux stand-ins cannot enforce is refused before any namespace exists
        spec.bridges().forEach(lab::bridgeConfig);
        spec.monitor().ifPresent(m -> lab.monitorPlacement("", dir.resolve(LabSpecLoader.FILE)));
        return lab;
    }

    /** The lab builds next hops for the core router's redirects, IPv4 only; anything else is refused before any namespace exists. */
    private void redirectsTheLabCanBuild() {
        for (LabSpec.Router r : spec.routers().subList(1, spec.routers().size())) {
            if (!RedirectRouting.of(build.plan(spec.policyDevice(r)).orElseThrow()).targets().isEmpty()) {
                throw new LabException("router '" + r.name() + "' would redirect for " + spec.policyDevice(r) + ", and the lab "
                        + "builds next hops for the core router (" + spec.router().name() + ") only, not yet for others. Fix: "
                        + "make the rule drop or forward in the lab's policy, or let the core router's device redirect");
            }
        }
        RedirectRouting core = RedirectRouting.of(build.plan(spec.policyDevice(spec.router())).orElseThrow());
        LabNextHops.unsupported(core).ifPresent(why -> {
            throw new LabException(why + ". Fix: give the redirect object IPv4 next hops for the lab");
        });
    }

    public LabSpec spec() {
        return spec;
    }

    /** The core router's nftables script: its policy device's plan on a Linux router (inet table). */
    public String routerConfig() {
        return routerConfig(spec.router());
    }

    public String routerConfig(LabSpec.Router router) {
        return render(router.device(), NftFamily.TAG_INET, spec.policyDevice(router));
    }

    /** A hypervisor bridge enforces the plan of the router it hangs off. */
    public String bridgeConfig(LabSpec.Bridge bridge) {
        return render(bridge.device(), NftFamily.TAG_BRIDGE, spec.policyDevice(spec.routerOf(bridge)));
    }

    private String render(String device, String tag, String policyDevice) {
        Device linux = new Device(device, Platform.NFTABLES, Role.SWITCH, "linux", Optional.empty(), Optional.empty(),
                List.of(tag), SourceLocation.of(LabSpecLoader.FILE));
        return switch (build.standIn(policyDevice, linux).orElseThrow()) {
            case DeviceBuild.Rendered r -> r.config();
            case DeviceBuild.Refused r -> throw new LabException("the Linux " + device + " cannot stand in for "
                    + policyDevice + ": " + r.reasons().stream().map(Diagnostic::format).toList());
        };
    }

    /**
     * Where the monitor node runs: its host must hold the tunnel destination of a monitor object
     * that one of the policy device's monitored rules mirrors to.
     */
    private LabMonitor.Placement monitorPlacement(String scenario, Path file) {
        LabSpec.Host host = spec.host(spec.monitor().orElseThrow().host()).orElseThrow();
        String device = spec.policyDevice(spec.router()); // the agent runs on the core router
        Optional<MonitorObject> object = build.model().monitors().values().stream()
                .filter(m -> m.tunnelDestination() != null && m.tunnelDestination().withoutPrefixLength().equals(host.address()))
                .findFirst();
        Optional<MirrorSession> session = build.plan(device).orElseThrow().mirrorSessions().stream()
                .filter(s -> s.destination().withoutPrefixLength().equals(host.address())).findFirst();
        if (object.isEmpty() || session.isEmpty() || !(host.address().toInetAddress() instanceof Inet4Address v4)) {
            throw new LabSpecException(List.of(file + ": monitor, field 'host': " + host.name() + " (" + host.address()
                    + ") is not where " + device + " mirrors: " + (object.isEmpty() ? "no monitor object has it as tunnel-destination"
                    : session.isEmpty() ? "no monitored rule of the device uses monitor object " + object.get().name()
                    : "GRE mirrors go to IPv4 addresses") + ". Fix: give the host the tunnel-destination of a monitor object a rule uses"));
        }
        return new LabMonitor.Placement(scenario, topology.routerNamespace(), NftNames.nflogGroup(session.get().name()),
                topology.namespace(host.name()), v4, object.get().name(), object.get().activeTimeoutMs(), device);
    }

    /** Builds the topology and enforces the first scenario; leaves it running for manual probing. */
    public LabSpec.Scenario up(Optional<String> scenarioName) {
        LabSpec.Scenario scenario = scenarioName.map(n -> spec.scenarios().stream().filter(s -> s.name().equals(n)).findFirst()
                .orElseThrow(() -> new LabException("no scenario is named '" + n + "'. Fix: use one of "
                        + String.join(", ", spec.scenarios().stream().map(LabSpec.Scenario::name).toList()))))
                .orElse(spec.scenarios().getFirst());
        LabTools.requireAll();
        boolean built = false;
        try {
            topology.build();
            nextHops.build();
            enforce(scenario);
            built = true;
            return scenario;
        } finally {
            if (!built) {
                topology.teardown();
            }
        }
    }

    public void down() {
        topology.teardown();
    }

    /**
     * Builds the topology, enforces the scenario and serves every host's services until
     * {@link Serving#close()}, which tears it all down: for a run in which something else (a
     * server's change control) replaces the router's ruleset between probes.
     */
    public Serving serve(Optional<String> scenarioName) {
        up(scenarioName);
        Listeners listeners = new Listeners();
        try {
            for (LabSpec.Host h : spec.hosts()) {
                listeners.start(topology.namespace(h.name()), h);
            }
        } catch (RuntimeException e) {
            listeners.close();
            topology.teardown();
            throw e;
        }
        return new Serving(listeners);
    }

    /** A served lab: probes on demand, torn down on close. */
    public final class Serving implements AutoCloseable {
        private final Listeners listeners;

        private Serving(Listeners listeners) {
            this.listeners = listeners;
        }

        /** The namespace of a host or the router, by its lab.yaml name. */
        public String namespace(String name) {
            return topology.namespace(name);
        }

        /** Sends the probes now (all at once); each probe's label with what the traffic did: allowed, dropped, refused or error. */
        public Map<String, String> probe(List<LabSpec.Probe> probes) {
            Map<String, String> observed = new LinkedHashMap<>();
            for (Prober.Outcome o : new Prober(spec, topology).probeAll(probes)) {
                observed.put(o.probe().label(), o.observed().text);
            }
            return observed;
        }

        @Override
        public void close() {
            try {
                listeners.close();
            } finally {
                topology.teardown();
            }
        }
    }

    /** Builds, probes every scenario, tears down (always). */
    public LabResult run() {
        LabTools.requireAll();
        long start = System.nanoTime();
        List<LabResult.Row> rows = new ArrayList<>();
        List<LabResult.ScenarioCounters> counters = new ArrayList<>();
        List<LabResult.MirrorCheck> mirrorChecks = new ArrayList<>();
        try (Listeners listeners = new Listeners()) {
            log.accept("building " + topology.namespaces().size() + " network namespaces (prefix " + topology.namespace("") + ")");
            topology.build();
            nextHops.build();
            for (LabSpec.Host h : spec.hosts()) {
                listeners.start(topology.namespace(h.name()), h);
            }
            Prober prober = new Prober(spec, topology);
            for (LabSpec.Scenario scenario : spec.scenarios()) {
                log.accept("scenario " + scenario.name() + ": " + scenario.description());
                enforce(scenario);
                try (LabMonitor.Running mirror = spec.monitor().isPresent()
                        ? monitor.start(monitorPlacement(scenario.name(), Path.of(LabSpecLoader.FILE))) : null) {
                    nextHops.arm(spec.probes(), spec);
                    List<Prober.Outcome> outcomes = prober.probeAll(spec.probes());
                    for (int i = 0; i < outcomes.size(); i++) {
                        Prober.Outcome o = outcomes.get(i);
                        boolean gap = sameBridge(o.probe()) && !scenario.sameBridgeEnforced();
                        LabSpec.Verdict expected = o.probe().expect(scenario.name());
                        LabSpec.Verdict predicted = gap ? LabSpec.Verdict.ALLOW : expected;
                        String observed = expected == LabSpec.Verdict.REDIRECT ? nextHops.observe(i, o.observed()) : o.observed().text;
                        rows.add(new LabResult.Row(scenario.name(), o.probe(), expected, predicted, observed, gap, o.detail()));
                    }
                    if (mirror != null) {
                        mirrorChecks.addAll(new MonitorChecks(spec).check(scenario.name(), mirror, log));
                    }
                }
                for (LabSpec.Router r : spec.routers()) {
                    List<String> perVrf = vrfs.of(r);
                    if (perVrf.isEmpty()) {
                        counters.add(routerCounters(scenario, r.name(), topology.routerNamespace(r)));
                    }
                    perVrf.forEach(v -> counters.add(routerCounters(scenario, r.name() + " VRF " + v, topology.vrfNamespace(r, v))));
                }
                if (scenario.enforceOnBridges()) {
                    for (LabSpec.Bridge b : spec.bridges()) {
                        counters.add(new LabResult.ScenarioCounters(scenario.name(), b.name(),
                                new NftablesDriver(new NftTarget.Namespace(topology.namespace(b.name()))).counters("bridge")));
                    }
                }
            }
        } finally {
            topology.teardown();
        }
        return new LabResult(rows, counters, mirrorChecks, (System.nanoTime() - start) / 1_000_000);
    }

    private static LabResult.ScenarioCounters routerCounters(LabSpec.Scenario scenario, String enforcer, String namespace) {
        return new LabResult.ScenarioCounters(scenario.name(), enforcer, new NftablesDriver(new NftTarget.Namespace(namespace)).counters("inet"));
    }

    private boolean sameBridge(LabSpec.Probe p) {
        Optional<String> a = spec.host(p.from()).flatMap(LabSpec.Host::bridge);
        return a.isPresent() && a.equals(spec.host(p.to()).flatMap(LabSpec.Host::bridge));
    }

    private void enforce(LabSpec.Scenario scenario) {
        for (LabSpec.Router r : spec.routers()) {
            // a router of several VRFs is one namespace per VRF, each holding the device's whole ruleset
            for (String ns : topology.routerNamespaces(r)) {
                apply(new NftablesDriver(new NftTarget.Namespace(ns)), routerConfig(r));
            }
        }
        for (LabSpec.Bridge b : spec.bridges()) {
            NftablesDriver driver = new NftablesDriver(new NftTarget.Namespace(topology.namespace(b.name())));
            if (scenario.enforceOnBridges()) {
                apply(driver, bridgeConfig(b));
            } else {
                driver.remove("bridge");
            }
        }
        topology.isolateBridgePorts(scenario.isolateBridgePorts());
        topology.flushNeighbours();
    }

    private static void apply(NftablesDriver driver, String script) {
        if (driver.apply(script) instanceof ApplyResult.Rejected r) {
            throw new LabException("nft refused the ruleset for " + r.target() + " at " + r.stage() + ": " + r.message());
        }
    }
}
