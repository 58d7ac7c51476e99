package dev.septum.lab;

import dev.septum.compile.nftables.RedirectRouting;
import dev.septum.deploy.Commands;
import dev.septum.model.IpFamily;
import inet.ipaddr.IPAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The redirect objects' next hops as the lab builds them: one namespace per redirect object the core
 * router uses, on a veth named as the object's router port, holding the next-hop addresses. It
 * forwards what it receives back to the router (as a firewall that allows it would), and counts, per
 * probe that expects a redirect, the probe's packets in its prerouting hook: so a redirect is
 * observed only if the probe's traffic really went through a next hop.
 */
final class LabNextHops {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String TABLE = "septum_lab_nexthop";
    /** What a probe that went through a next hop and completed observed. */
    static final String REDIRECTED = "redirected";
    private static final int AWAIT_TRIES = 20;

    private final List<RedirectRouting.Target> targets;
    private final String routerNamespace;
    private final Topology topology;

    LabNextHops(RedirectRouting routing, String routerNamespace, Topology topology) {
        this.targets = routing.targets();
        this.routerNamespace = routerNamespace;
        this.topology = topology;
    }

    /** Why the lab cannot build these next hops, if it cannot (IPv6 next hops: not yet). */
    static java.util.Optional<String> unsupported(RedirectRouting routing) {
        return routing.targets().stream().filter(t -> t.nextHops().containsKey(IpFamily.IPV6)).findFirst()
                .map(t -> "redirect '" + t.redirectObject() + "' has IPv6 next hops, which the lab cannot build yet");
    }

    String namespace(RedirectRouting.Target t) {
        return topology.namespace("_nh" + t.index());
    }

    /** The router's address on the link to the {@code index}th next-hop namespace (link-local space, never routed). */
    private static String routerSide(int index) {
        return "169.254.200." + index;
    }

    void build() {
        for (RedirectRouting.Target t : targets) {
            String ns = namespace(t);
            run("ip", "netns", "add", ns);
            ip(ns, "link", "set", "lo", "up");
            run("ip", "link", "add", "name", t.routerPort(), "netns", routerNamespace, "type", "veth", "peer", "name", "eth0",
                    "netns", ns);
            sysctl(ns, "net.ipv4.ip_forward", "1");
            // it hands every packet back on the port it came in on; an ICMP redirect would teach the router a shortcut
            sysctl(ns, "net.ipv4.conf.all.send_redirects", "0");
            sysctl(ns, "net.ipv4.conf.eth0.send_redirects", "0");
            // the router sees the hosts' packets again on this port, which is not their reverse path
            sysctl(routerNamespace, "net.ipv4.conf.all.rp_filter", "0");
            sysctl(routerNamespace, "net.ipv4.conf." + t.routerPort() + ".rp_filter", "0");
            ip(routerNamespace, "link", "set", t.routerPort(), "up");
            ip(routerNamespace, "addr", "add", routerSide(t.index()) + "/32", "dev", t.routerPort());
            ip(ns, "link", "set", "eth0", "up");
            for (IPAddress hop : t.nextHops().get(IpFamily.IPV4)) {
                ip(ns, "addr", "add", hop.toCanonicalString() + "/32", "dev", "eth0");
                ip(routerNamespace, "route", "add", hop.toCanonicalString() + "/32", "dev", t.routerPort());
            }
            ip(ns, "route", "add", routerSide(t.index()) + "/32", "dev", "eth0");
            ip(ns, "route", "add", "default", "via", routerSide(t.index()), "dev", "eth0");
        }
    }

    /** Fresh counters for the probes that expect a redirect, in every next hop (which one a flow takes is the router's choice). */
    void arm(List<LabSpec.Probe> probes, LabSpec spec) {
        for (RedirectRouting.Target t : targets) {
            String ns = namespace(t);
            StringBuilder script = new StringBuilder("table inet " + TABLE + "\ndelete table inet " + TABLE + "\n");
            script.append("table inet ").append(TABLE).append(" {\n    chain seen {\n")
                    .append("        type filter hook prerouting priority raw; policy accept;\n");
            for (int i = 0; i < probes.size(); i++) {
                LabSpec.Probe p = probes.get(i);
                String from = spec.host(p.from()).orElseThrow().address().toCanonicalString();
                String to = spec.host(p.to()).orElseThrow().address().toCanonicalString();
                String l4 = switch (p.kind()) {
                    case ProbeKind.TcpConnect c -> " tcp dport " + c.port();
                    case ProbeKind.Http h -> " tcp dport " + h.port();
                    case ProbeKind.UdpExchange u -> " udp dport " + u.port();
                    case ProbeKind.Ping ping -> " meta l4proto icmp";
                };
                script.append("        ip saddr ").append(from).append(" ip daddr ").append(to).append(l4)
                        .append(" counter comment \"probe-").append(i).append("\"\n");
            }
            script.append("    }\n}\n");
            Commands.Result r = Commands.run(T, List.of("ip", "netns", "exec", ns, "nft", "-f", "-"), script.toString());
            if (!r.ok()) {
                throw new LabException("cannot arm the next hop's counters in " + ns + ": " + r.failure());
            }
        }
    }

    /** Packets of the {@code index}th armed probe the next hops saw, summed over them. */
    long seen(int index) {
        long packets = 0;
        for (RedirectRouting.Target t : targets) {
            Commands.Result r = Commands.run(T, List.of("ip", "netns", "exec", namespace(t), "nft", "-j", "list", "table", "inet", TABLE));
            if (!r.ok()) {
                throw new LabException("cannot read the next hop's counters in " + namespace(t) + ": " + r.failure());
            }
            for (JsonNode item : JsonMapper.builder().build().readTree(r.stdout()).path("nftables")) {
                JsonNode rule = item.path("rule");
                if (rule.path("comment").asString("").equals("probe-" + index)) {
                    for (JsonNode expr : rule.path("expr")) {
                        packets += expr.path("counter").path("packets").asLong(0);
                    }
                }
            }
        }
        return packets;
    }

    /**
     * What a probe expecting a redirect observed: {@link #REDIRECTED} when its connection completed and
     * a next hop counted its packets. The counter is read until it shows them, at most
     * {@value #AWAIT_TRIES} times 50 ms (a completed connection's packets have all passed the next hop).
     */
    String observe(int index, Prober.Observed observed) {
        if (observed != Prober.Observed.ALLOW) {
            return observed.text;
        }
        for (int i = 0; i < AWAIT_TRIES; i++) {
            if (seen(index) > 0) {
                return REDIRECTED;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while reading the next hop's counters");
            }
        }
        return "allowed, not through a next hop";
    }

    private static void ip(String ns, String... args) {
        Topology.ip(ns, args);
    }

    private static void sysctl(String ns, String key, String value) {
        Topology.sysctl(ns, key, value);
    }

    private static void run(String... command) {
        Topology.run(command);
    }
}
