package dev.septum.lab;

import dev.septum.deploy.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The lab's network: one namespace per host, a router namespace joining the subnets, and one
 * namespace per hypervisor holding a Linux bridge whose uplink goes to the router. Every veth is
 * created directly inside its two namespaces and every address lives inside a namespace: the
 * root namespace gains no interface, address or route.
 *
 * <p>The router has one interface per segment (a bridge uplink or a directly attached host),
 * carries each subnet's gateway as a /32 on the segments of that subnet, routes each host by a
 * /32, and answers ARP for hosts on other segments (proxy ARP). So a subnet may span segments, as
 * VLAN 299 spans the seed's two Proxmox hosts, and traffic between segments always crosses the
 * router's forward hook.
 *
 * <p>A router whose device enforces several VRFs is one namespace per VRF ({@link LabVrfs}): there the
 * VRF's host ports (and its links to other routers, in the uplink VRF) hang off one bridge named as the
 * VRF's device, with the gateways, host routes and proxy ARP on that bridge and its ports isolated, so
 * every packet between two of them is routed by the namespace and reaches the forward hook from the
 * VRF's "device". Overlapping addresses in two VRFs live in two namespaces, as in two routing tables.
 */
final class Topology {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String BRIDGE = "br0";
    private static final String UPLINK = "up0";

    private final LabSpec spec;
    private final String prefix;
    private final LabVrfs vrfs;

    Topology(LabSpec spec, String prefix, LabVrfs vrfs) {
        this.spec = spec;
        this.prefix = prefix;
        this.vrfs = vrfs;
    }

    String namespace(String name) {
        return prefix + name;
    }

    String routerNamespace() {
        return namespace(spec.router().name());
    }

    /** The router's namespace; with several VRFs, its uplink VRF's. */
    String routerNamespace(LabSpec.Router router) {
        return routerNamespaces(router).getFirst();
    }

    /** The namespaces that together are the router: one, or one per VRF (the uplink VRF's first). */
    List<String> routerNamespaces(LabSpec.Router router) {
        List<String> perVrf = vrfs.of(router);
        return perVrf.isEmpty() ? List.of(namespace(router.name())) : perVrf.stream().map(v -> vrfNamespace(router, v)).toList();
    }

    /** A VRF's namespace: {@code ROUTER.VRF} ({@link LabVrfs} refuses a host, bridge or router of that name). */
    String vrfNamespace(LabSpec.Router router, String vrf) {
        return namespace(LabVrfs.namespaceName(router, vrf));
    }

    /** Where a host without a bridge plugs in: its router, or its router's namespace of the subnet's VRF. */
    private String segmentNamespace(LabSpec.Host h) {
        LabSpec.Subnet subnet = spec.subnet(h.subnet()).orElseThrow();
        return vrfs.vrfOf(spec, subnet).map(v -> vrfNamespace(spec.routerOf(subnet), v))
                .orElse(routerNamespace(spec.routerOf(subnet)));
    }

    /** The router a host's subnet hangs off. */
    private LabSpec.Router routerOf(LabSpec.Host h) {
        return spec.routerOf(spec.subnet(h.subnet()).orElseThrow());
    }

    /** The core's end of the link to router {@code i} (1 and up), and that router's end: a /30 of link-local space. */
    private static String transit(int i, int end) {
        return "169.254.100." + (4 * i + end);
    }

    /** The router's interface towards a bridge. */
    String routerPort(LabSpec.Bridge bridge) {
        return "b" + spec.bridges().indexOf(bridge);
    }

    /** A host's port: on its bridge, or on the router when it has no bridge. */
    String hostPort(LabSpec.Host host) {
        return (host.bridge().isPresent() ? "p" : "h") + spec.hosts().indexOf(host);
    }

    List<String> namespaces() {
        List<String> names = new ArrayList<>();
        spec.routers().forEach(r -> names.addAll(routerNamespaces(r)));
        spec.bridges().forEach(b -> names.add(namespace(b.name())));
        spec.hosts().forEach(h -> names.add(namespace(h.name())));
        return names;
    }

    void build() {
        removeLeftovers(prefix);
        for (String ns : namespaces()) {
            run("ip", "netns", "add", ns);
            ip(ns, "link", "set", "lo", "up");
        }
        for (LabSpec.Router router : spec.routers()) {
            for (String r : routerNamespaces(router)) {
                sysctl(r, "net.ipv4.ip_forward", "1");
                sysctl(r, "net.ipv6.conf.all.forwarding", "1");
                // a hairpinned packet would otherwise teach the sender a direct route around the router
                sysctl(r, "net.ipv4.conf.all.send_redirects", "0");
                sysctl(r, "net.ipv4.conf.default.send_redirects", "0");
            }
            for (String vrf : vrfs.of(router)) {
                ip(vrfNamespace(router, vrf), "link", "add", LabVrfs.device(vrf), "type", "bridge");
            }
        }
        for (LabSpec.Bridge b : spec.bridges()) {
            String ns = namespace(b.name());
            LabSpec.Router router = spec.routerOf(b);
            ip(ns, "link", "add", BRIDGE, "type", "bridge");
            ip(ns, "link", "set", BRIDGE, "up");
            veth(ns, UPLINK, routerNamespace(router), routerPort(b));
            ip(ns, "link", "set", UPLINK, "master", BRIDGE, "up");
            routerSegment(routerNamespace(router), routerPort(b), spec.hosts().stream().filter(h -> h.bridge().equals(java.util.Optional.of(b.name()))).toList());
        }
        for (LabSpec.Host h : spec.hosts()) {
            String ns = namespace(h.name());
            LabSpec.Subnet subnet = spec.subnet(h.subnet()).orElseThrow();
            if (h.bridge().isPresent()) {
                String hv = namespace(h.bridge().get());
                veth(ns, "eth0", hv, hostPort(h));
                ip(hv, "link", "set", hostPort(h), "master", BRIDGE, "up");
            } else {
                veth(ns, "eth0", segmentNamespace(h), hostPort(h));
                Optional<String> vrf = vrfs.vrfOf(spec, subnet);
                if (vrf.isPresent()) {
                    enslave(segmentNamespace(h), hostPort(h), LabVrfs.device(vrf.get()));
                } else {
                    routerSegment(segmentNamespace(h), hostPort(h), List.of(h));
                }
            }
            ip(ns, address(h.address().toCanonicalString() + "/" + subnet.prefix().getNetworkPrefixLength(), "eth0",
                    h.address().isIPv6()));
            ip(ns, "link", "set", "eth0", "up");
            ip(ns, "route", "add", "default", "via", subnet.gateway().toCanonicalString());
        }
        vrfSegments();
        joinRouters();
    }

    /** Each VRF's bridge carries the gateways and host routes of the VRF's hosts and answers ARP between its isolated ports. */
    private void vrfSegments() {
        for (LabSpec.Router router : spec.routers()) {
            for (String vrf : vrfs.of(router)) {
                String ns = vrfNamespace(router, vrf);
                String device = LabVrfs.device(vrf);
                routerSegment(ns, device, spec.hosts().stream().filter(h -> h.bridge().isEmpty()
                        && segmentNamespace(h).equals(ns)).toList());
                sysctl(ns, "net.ipv4.conf." + device + ".proxy_arp_pvlan", "1");
            }
        }
    }

    /** A port of a VRF's bridge: isolated, so its hosts reach the others only through the VRF's routing. */
    private static void enslave(String ns, String port, String device) {
        ip(ns, "link", "set", port, "master", device, "up");
        ip(ns, "link", "set", "dev", port, "type", "bridge_slave", "isolated", "on");
    }

    /** The interface that carries a router's addresses on {@code port}: the port, or its VRF's bridge with the port on it. */
    private static String l3(String ns, String port, Optional<String> vrf) {
        if (vrf.isEmpty()) {
            ip(ns, "link", "set", port, "up");
            return port;
        }
        enslave(ns, port, LabVrfs.device(vrf.get()));
        return LabVrfs.device(vrf.get());
    }

    /**
     * Every router beyond the core gets a link to it: its default route points to the core, and the
     * core routes each of its hosts to it (/32s, IPv4), so traffic between routers crosses the
     * forward hooks of both: each enforces its own device's plan.
     */
    private void joinRouters() {
        String core = routerNamespace();
        Optional<String> coreVrf = vrfs.of(spec.router()).stream().findFirst();
        for (int i = 1; i < spec.routers().size(); i++) {
            LabSpec.Router router = spec.routers().get(i);
            String r = routerNamespace(router);
            veth(core, "t" + i, r, "t0");
            ip(core, "addr", "add", transit(i, 1) + "/30", "dev", l3(core, "t" + i, coreVrf));
            ip(r, "addr", "add", transit(i, 2) + "/30", "dev", l3(r, "t0", vrfs.of(router).stream().findFirst()));
            ip(r, "route", "add", "default", "via", transit(i, 1));
            for (LabSpec.Host h : spec.hosts()) {
                // with several VRFs only the uplink VRF's hosts are reachable from the other routers
                if (routerOf(h).equals(router) && (h.bridge().isPresent() || segmentNamespace(h).equals(r))) {
                    ip(core, "route", "add", h.address().toCanonicalString() + "/32", "via", transit(i, 2));
                }
            }
        }
    }

    private void routerSegment(String r, String port, List<LabSpec.Host> hosts) {
        ip(r, "link", "set", port, "up");
        sysctl(r, "net.ipv4.conf." + port + ".proxy_arp", "1");
        // proxy ARP answers after a random delay of up to 0.8 s by default; probes should not wait for it
        sysctl(r, "net.ipv4.neigh." + port + ".proxy_delay", "0");
        sysctl(r, "net.ipv4.conf." + port + ".send_redirects", "0");
        Map<String, String> gateways = new TreeMap<>();
        for (LabSpec.Host h : hosts) {
            gateways.put(spec.subnet(h.subnet()).orElseThrow().gateway().toCanonicalString(), h.subnet());
        }
        // a gateway and a host route cover one address: /32, or /128 for IPv6 (a /32 there is a whole
        // 2001:db8::/32, whose route the second host or segment of the subnet then finds already there)
        gateways.keySet().forEach(gw -> ip(r, address(gw + "/" + hostLength(gw), port, gw.contains(":"))));
        for (LabSpec.Host h : hosts) {
            String host = h.address().toCanonicalString();
            ip(r, "route", "add", host + "/" + hostLength(host), "dev", port);
        }
        if (hosts.stream().anyMatch(h -> h.address().isIPv6())) {
            // IPv6 has no proxy ARP: answer neighbour solicitations for the subnet's hosts behind other ports
            sysctl(r, "net.ipv6.conf." + port + ".proxy_ndp", "1");
            for (LabSpec.Host other : spec.hosts()) {
                boolean sameSubnet = hosts.stream().anyMatch(h -> h.subnet().equals(other.subnet()));
                if (other.address().isIPv6() && sameSubnet && !hosts.contains(other)) {
                    ip(r, "-6", "neigh", "add", "proxy", other.address().toCanonicalString(), "dev", port);
                }
            }
        }
    }

    private static int hostLength(String address) {
        return address.contains(":") ? 128 : 32;
    }

    /** {@code addr add}; IPv6 addresses skip duplicate address detection, which would hold them tentative for a second or more. */
    private static String[] address(String prefix, String device, boolean v6) {
        return v6 ? new String[] {"addr", "add", prefix, "dev", device, "nodad"} : new String[] {"addr", "add", prefix, "dev", device};
    }

    /** Port isolation on every host port of every bridge, and the router's local proxy ARP for the hairpin. */
    void isolateBridgePorts(boolean on) {
        String value = on ? "on" : "off";
        for (LabSpec.Host h : spec.hosts()) {
            h.bridge().ifPresent(b -> ip(namespace(b), "link", "set", "dev", hostPort(h), "type", "bridge_slave", "isolated", value));
        }
        for (LabSpec.Bridge b : spec.bridges()) {
            // Linux's name for EOS "ip local-proxy-arp": answer ARP for hosts behind the asking port itself
            sysctl(routerNamespace(spec.routerOf(b)), "net.ipv4.conf." + routerPort(b) + ".proxy_arp_pvlan", on ? "1" : "0");
        }
    }

    /** Forget learned MAC addresses so a new scenario's ARP behaviour shows from the first packet. */
    void flushNeighbours() {
        for (String ns : namespaces()) {
            Commands.run(T, List.of("ip", "-n", ns, "neigh", "flush", "all"));
        }
        for (LabSpec.Bridge b : spec.bridges()) {
            Commands.run(T, List.of("bridge", "-n", namespace(b.name()), "fdb", "flush", "dev", BRIDGE));
        }
    }

    void teardown() {
        removeLeftovers(prefix);
    }

    /** Deletes every namespace whose name starts with {@code prefix}: this lab's, or a crashed run's. */
    static void removeLeftovers(String prefix) {
        Commands.Result list = Commands.run(T, List.of("ip", "netns", "list"));
        for (String line : list.stdout().lines().toList()) {
            String name = line.split(" ")[0];
            if (!prefix.isEmpty() && name.startsWith(prefix)) {
                Commands.run(T, List.of("ip", "netns", "del", name));
            }
        }
    }

    private static void veth(String nsA, String nameA, String nsB, String nameB) {
        run("ip", "link", "add", "name", nameA, "netns", nsA, "type", "veth", "peer", "name", nameB, "netns", nsB);
    }

    static void ip(String ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", ns));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    static void sysctl(String ns, String key, String value) {
        run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key + "=" + value);
    }

    static void run(String... command) {
        Commands.Result result = Commands.run(T, List.of(command));
        if (!result.ok()) {
            throw new LabException("building the lab failed: " + result.failure());
        }
    }
}
