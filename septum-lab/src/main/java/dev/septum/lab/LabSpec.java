package dev.septum.lab;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Optional;

/**
 * A lab description ({@code lab.yaml} next to a policy): which device's plan the Linux devices
 * enforce, the subnets a router namespace joins, the hypervisor bridges, the hosts with the
 * services they listen on, the probes with their expected verdicts, the scenarios to replay, and
 * optionally the monitor node that receives the monitored rules' mirrored packets.
 */
public record LabSpec(String policyDevice, List<Router> routers, List<Subnet> subnets, List<Bridge> bridges,
                      List<Host> hosts, List<Probe> probes, List<Scenario> scenarios, Optional<Monitor> monitor) {
    public LabSpec {
        routers = List.copyOf(routers);
        subnets = List.copyOf(subnets);
        bridges = List.copyOf(bridges);
        hosts = List.copyOf(hosts);
        probes = List.copyOf(probes);
        scenarios = List.copyOf(scenarios);
    }

    /**
     * A namespace that routes between its subnets, as the seed's 720XP did, and enforces with an
     * inet table the plan of {@code policyDevice} (empty: the lab's {@code policy-device}). The
     * first router is the core: every other router reaches the rest of the lab through it.
     *
     * @param uplinkVrf with several VRFs, the one whose links join the other routers (empty: the first
     *                  VRF of the policy device)
     */
    public record Router(String name, String device, Optional<String> policyDevice, Optional<String> uplinkVrf) {
    }

    /**
     * The monitor node: one of the hosts, whose address is the monitor object's tunnel destination.
     * The router mirrors every monitored rule's packets to it (mirror agent, GRE) and it stores sessions.
     */
    public record Monitor(String host) {
    }

    /**
     * @param router the router that carries the subnet's gateway and its hosts
     * @param vrf    the router's VRF the subnet is in (needed when the router enforces several)
     */
    public record Subnet(String name, IPAddress prefix, IPAddress gateway, String router, Optional<String> vrf) {
    }

    /** A hypervisor: a namespace holding one Linux bridge whose uplink goes to {@code router}. */
    public record Bridge(String name, String device, String router) {
    }

    /** The core router: the only one with {@code router:}, the first of {@code routers:}. */
    public Router router() {
        return routers.getFirst();
    }

    /** The device whose plan {@code r} enforces. */
    public String policyDevice(Router r) {
        return r.policyDevice().orElse(policyDevice);
    }

    public Router routerOf(Subnet subnet) {
        return routers.stream().filter(r -> r.name().equals(subnet.router())).findFirst().orElseThrow();
    }

    public Router routerOf(Bridge bridge) {
        return routers.stream().filter(r -> r.name().equals(bridge.router())).findFirst().orElseThrow();
    }

    /** A VM or client: one namespace, one address, the services it listens on. */
    public record Host(String name, String subnet, IPAddress address, Optional<String> bridge, List<ProbeKind> services) {
        public Host {
            services = List.copyOf(services);
        }
    }

    public enum Verdict {
        ALLOW("allow"), DROP("drop"), REDIRECT("redirect");

        private final String keyword;

        Verdict(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /**
     * @param expect       the verdict in every scenario not named in {@code expectIn}
     * @param expectIn     scenario name to verdict, where the enforcement points of that scenario rightly
     *                     differ (a stateless switch drops a reply that conntrack passes on Linux)
     * @param mirrored     what the monitor node should store of this probe's session, if the lab asks
     */
    public record Probe(String from, String to, ProbeKind kind, Verdict expect, java.util.Map<String, Verdict> expectIn,
                        String note, Optional<Mirrored> mirrored) {
        public Probe {
            expectIn = java.util.Map.copyOf(expectIn);
        }

        public String label() {
            return from + " -> " + to + " " + kind.label();
        }

        /** The verdict expected in {@code scenario}. */
        public Verdict expect(String scenario) {
            return expectIn.getOrDefault(scenario, expect);
        }
    }

    /**
     * A probe's expectation of the monitor node: its session stored ({@code seen}), decided by
     * {@code rule} when one is named, or not stored at all.
     */
    public record Mirrored(boolean seen, Optional<String> rule) {
        public String text() {
            return seen ? "seen" + rule.map(r -> " (" + r + ")").orElse("") : "not seen";
        }
    }

    /**
     * One way to run the same topology.
     *
     * @param isolateBridgePorts bridge port isolation on every host port, with the router answering ARP
     *                           for the isolated hosts (local proxy ARP), so their traffic hairpins through it
     * @param enforceOnBridges   the bridge-family table on each hypervisor bridge, besides the router's
     */
    public record Scenario(String name, String description, boolean isolateBridgePorts, boolean enforceOnBridges) {
        /** Traffic between two ports of one bridge reaches an enforcer only in these scenarios. */
        public boolean sameBridgeEnforced() {
            return isolateBridgePorts || enforceOnBridges;
        }
    }

    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    public Optional<Subnet> subnet(String name) {
        return subnets.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
