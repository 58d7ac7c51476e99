package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.nftables.NftablesRenderer;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchAction;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.PrefixFieldSet;
import dev.septum.compile.plan.ServiceFieldSet;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.deploy.Commands;
import dev.septum.deploy.nftables.NftTarget;
import dev.septum.deploy.nftables.NftablesDriver;
import dev.septum.model.DecapType;
import dev.septum.model.Device;
import dev.septum.model.IpFamily;
import dev.septum.model.Platform;
import dev.septum.model.PortItem;
import dev.septum.model.PortSpec;
import dev.septum.model.Protocol;
import dev.septum.model.Role;
import dev.septum.model.ServiceEntry;
import dev.septum.model.SourceLocation;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The region-map form of the nftables renderer decides like the verification engine's first-match
 * model, in a real kernel, on random policies: ordered IPv4 and IPv6 rules over overlapping
 * prefixes, port ranges, both protocols, forward and drop, with an occasional rule without services
 * (which stays linear and splits the runs around it). Each policy is rendered with maps forced on
 * from runs of two matches and loaded into a table in a namespace: a stateless bridge table that
 * packets cross from a sender to a sink, and a stateful inet table on the sink they are addressed
 * to (its input hook, behind {@code ct state established,related accept}; every packet is a new
 * flow). The per-match counter that moved (a counter after the policy catches "no match") must be
 * the match {@link FlowTracer} names for the same flow. A failure prints the seed; set
 * {@code -Dseptum.regionSeed=N} to replay it.
 */
class RegionMapKernelTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final String PREFIX = "sxm" + ProcessHandle.current().pid() + "-";
    private static final String SENDER = PREFIX + "sender";
    private static final String HV = PREFIX + "hv";
    private static final String SINK = PREFIX + "sink";
    private static final String SINK_MAC = "02:00:00:00:5e:02";
    private static final String FALLTHROUGH = "septum_test_no_match";
    private static final int POLICIES = 2;
    private static final int PACKETS = 40;
    private static final Map<IpFamily, List<String>> HOSTS = Map.of(
            IpFamily.IPV4, List.of("10.9.0.1", "10.9.0.2", "10.9.1.1", "10.9.1.130"),
            IpFamily.IPV6, List.of("2001:db8:9::1", "2001:db8:9::2", "2001:db8:9:1::1", "2001:db8:9:1::82"));
    private static final Map<IpFamily, List<String>> PREFIXES = Map.of(
            IpFamily.IPV4, List.of("10.9.0.1/32", "10.9.0.2/32", "10.9.1.1/32", "10.9.1.130/32",
                    "10.9.0.0/24", "10.9.1.0/24", "10.9.1.128/25", "10.9.0.0/23", "10.9.0.0/16"),
            IpFamily.IPV6, List.of("2001:db8:9::1/128", "2001:db8:9::2/128", "2001:db8:9:1::1/128", "2001:db8:9:1::82/128",
                    "2001:db8:9::/64", "2001:db8:9:1::/64", "2001:db8:9:1::80/121", "2001:db8:9::/63", "2001:db8:9::/48"));
    /** What the fall-through counter counts: every packet the test sends, of each family. */
    private static final List<String> FALLTHROUGH_SOURCES = List.of("ip saddr 10.9.0.0/16", "ip6 saddr 2001:db8:9::/48");
    private static final int[] DESTINATION_PORTS = {53, 80, 85, 443, 8443, 9999};
    private static final int[] SOURCE_PORTS = {53, 1500};

    @BeforeAll
    static void buildSenderBridgeSink() {
        Topology.removeLeftovers(PREFIX);
        for (String ns : List.of(SENDER, HV, SINK)) {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        for (String ns : List.of(SENDER, SINK)) {
            // little IPv6 chatter (no router solicitations, no DAD); what is left (MLD from link-local
            // addresses) matches no rule: every rule without ports names a source in the test's /48
            run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.router_solicitations=0",
                    "net.ipv6.conf.default.router_solicitations=0", "net.ipv6.conf.all.accept_dad=0",
                    "net.ipv6.conf.default.accept_dad=0");
        }
        // the sink owns every address too (the inet table's input hook sees packets addressed to it),
        // and takes packets from addresses that are also its own
        run("ip", "netns", "exec", SINK, "sysctl", "-q", "-w", "net.ipv4.conf.all.accept_local=1",
                "net.ipv4.conf.default.accept_local=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
        run("ip", "-n", HV, "link", "add", "br0", "type", "bridge");
        run("ip", "link", "add", "name", "eth0", "netns", SENDER, "type", "veth", "peer", "name", "p0", "netns", HV);
        run("ip", "link", "add", "name", "eth0", "netns", SINK, "type", "veth", "peer", "name", "p1", "netns", HV);
        run("ip", "-n", SINK, "link", "set", "eth0", "address", SINK_MAC);
        for (String port : List.of("p0", "p1")) {
            run("ip", "-n", HV, "link", "set", port, "master", "br0", "up");
        }
        run("ip", "-n", HV, "link", "set", "br0", "up");
        run("ip", "-n", SENDER, "link", "set", "eth0", "up");
        run("ip", "-n", SINK, "link", "set", "eth0", "up");
        for (IpFamily family : IpFamily.values()) {
            String bits = family == IpFamily.IPV4 ? "/32" : "/128";
            for (String a : HOSTS.get(family)) {
                // the sender owns every address, sends to each of them over the bridge (its own table
                // comes after the one routing the test's prefix out of eth0), straight to the sink's MAC
                run("ip", "-n", SENDER, "addr", "add", a + bits, "dev", "eth0", "nodad");
                run("ip", "-n", SENDER, "neigh", "replace", a, "lladdr", SINK_MAC, "dev", "eth0", "nud", "permanent");
                run("ip", "-n", SINK, "addr", "add", a + bits, "dev", "eth0", "nodad");
            }
            String v = family == IpFamily.IPV4 ? "-4" : "-6";
            run("ip", v, "-n", SENDER, "route", "add", PREFIXES.get(family).getLast(), "dev", "eth0", "table", "100");
            run("ip", v, "-n", SENDER, "rule", "add", "pref", "10", "lookup", "100");
            run("ip", v, "-n", SENDER, "rule", "add", "pref", "1000", "lookup", "local");
            run("ip", v, "-n", SENDER, "rule", "del", "pref", "0");
        }
    }

    @AfterAll
    static void teardown() {
        Topology.removeLeftovers(PREFIX);
    }

    @Test
    void regionMapsOfAStatelessBridgeDecideEveryPacketAsTheFirstMatchModelDoes() throws Exception {
        decideLikeTheModel(HV, "bridge", "forward", "hv", List.of("bridge"), 0);
    }

    @Test
    void regionMapsOfAStatefulInetTableDecideEveryNewFlowAsTheFirstMatchModelDoes() throws Exception {
        decideLikeTheModel(SINK, "inet", "input", "host", List.of(), 1);
    }

    /**
     * Random policies on the table of {@code family} in {@code namespace}, one packet at a time.
     * Each packet is a new flow in a stateful table: its source port is never used twice, so
     * conntrack never passes it as established (source-port rules are met inside 1000-1999).
     */
    private static void decideLikeTheModel(String namespace, String family, String hook, String device, List<String> tags,
                                           long salt) throws Exception {
        long seed = Long.getLong("septum.regionSeed", System.nanoTime()) + salt;
        Random random = new Random(seed);
        CounterProbe probe = new CounterProbe(new NftablesDriver(new NftTarget.Namespace(namespace)), family, FALLTHROUGH);
        List<String> differences = new ArrayList<>();
        int mappedDecisions = 0;
        int port = 20000;
        int rangePort = 1000;
        boolean stateful = family.equals("inet");
        // the other test's table would decide the packets first (bridge) or count them too (inet)
        Commands.run(T, List.of("ip", "netns", "exec", HV, "nft", "delete", "table", "bridge", "septum"));
        Commands.run(T, List.of("ip", "netns", "exec", SINK, "nft", "delete", "table", "inet", "septum"));
        for (int p = 0; p < POLICIES; p++) {
            DevicePlan plan = randomPlan(random, device, tags);
            String script = new NftablesRenderer(2).render(plan);
            assertThat(script).as("seed %d: the map form is under test", seed).contains(" vmap @");
            Commands.Result applied = Commands.run(T, List.of("ip", "netns", "exec", namespace, "nft", "-f", "-"), script);
            assertThat(applied.ok()).as("seed %d: nft -f of\n%s\n%s", seed, script, applied.failure()).isTrue();
            run("ip", "netns", "exec", namespace, "nft", "add", "counter", family, "septum", FALLTHROUGH);
            for (String source : FALLTHROUGH_SOURCES) {
                run(("ip netns exec " + namespace + " nft add rule " + family + " septum " + hook + " " + source
                        + " counter name " + FALLTHROUGH).split(" "));
            }
            Map<String, Long> before = probe.snapshot();
            for (int i = 0; i < PACKETS; i++) {
                List<String> hosts = HOSTS.get(random.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6);
                String from = hosts.get(random.nextInt(hosts.size()));
                String to = hosts.get(random.nextInt(hosts.size()));
                int protocol = random.nextBoolean() ? 6 : 17;
                int sport = random.nextInt(3) != 0 ? ++port
                        : stateful ? ++rangePort : SOURCE_PORTS[random.nextInt(SOURCE_PORTS.length)];
                int dport = DESTINATION_PORTS[random.nextInt(DESTINATION_PORTS.length)];
                Map<String, Long> after = probe.awaitMove(before,
                        NetnsThreads.callIn(SENDER, () -> CounterProbe.open(protocol, from, sport, to, dport)));
                String onKernel = CounterProbe.moved(before, after);
                before = after;
                Optional<MatchEntry> traced = FlowTracer.trace(plan, "ALL", new Flow(ip(from), ip(to), protocol, sport, dport))
                        .orElseThrow().decidedBy();
                String expected = traced.map(MatchEntry::name).orElse(FALLTHROUGH);
                if (!expected.equals(onKernel)) {
                    differences.add(family + " policy " + p + ": " + from + ":" + sport + " -> " + to + ":" + dport
                            + " proto " + protocol + ": trace " + expected + ", kernel counter " + onKernel);
                }
                mappedDecisions += traced.filter(m -> !script.contains("counter name " + "c_" + m.name() + " ")).isPresent() ? 1 : 0;
            }
            if (!differences.isEmpty()) {
                differences.add("ruleset of policy " + p + ":\n" + script);
                break;
            }
        }
        assertThat(differences).as("seed %d: packets the region maps decide unlike the first-match model", seed).isEmpty();
        assertThat(mappedDecisions).as("seed %d: packets decided inside a region map", seed).isPositive();
    }

    /**
     * 12-20 ordered matches, each IPv4 or IPv6, over six prefix sets per family and five service sets
     * of the small universe above; a match without services always names a source (so the IPv6
     * chatter of the namespaces, from link-local addresses, matches no rule).
     */
    private static DevicePlan randomPlan(Random random, String device, List<String> tags) {
        Map<IpFamily, List<PrefixFieldSet>> prefixSets = new java.util.EnumMap<>(IpFamily.class);
        for (IpFamily family : IpFamily.values()) {
            List<PrefixFieldSet> sets = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                List<IPAddress> prefixes = new ArrayList<>();
                for (int k = 1 + random.nextInt(2); k > 0; k--) {
                    List<String> universe = PREFIXES.get(family);
                    IPAddress prefix = ip(universe.get(random.nextInt(universe.size())));
                    if (!prefixes.contains(prefix)) {
                        prefixes.add(prefix);
                    }
                }
                sets.add(new PrefixFieldSet("G" + i + "_" + family.keyword(), family, "G" + i, prefixes));
            }
            prefixSets.put(family, sets);
        }
        List<ServiceFieldSet> serviceSets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<ServiceEntry> entries = new ArrayList<>();
            for (int k = 1 + random.nextInt(2); k > 0; k--) {
                entries.add(new ServiceEntry(random.nextBoolean() ? Protocol.TCP : Protocol.UDP, sourcePorts(random),
                        destinationPorts(random)));
            }
            serviceSets.add(new ServiceFieldSet("S" + i, "S" + i, false, entries));
        }
        List<MatchEntry> matches = new ArrayList<>();
        for (int i = 0, n = 12 + random.nextInt(9); i < n; i++) {
            IpFamily family = random.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6;
            List<String> services = random.nextInt(8) == 0 ? List.of() : pick(random, serviceSets, 1).stream()
                    .map(ServiceFieldSet::name).toList();
            matches.add(new MatchEntry("m" + i, family, "random", "r" + i, "", false,
                    pick(random, prefixSets.get(family), services.isEmpty() ? 1 : 0).stream().map(PrefixFieldSet::name).toList(),
                    pick(random, prefixSets.get(family), 0).stream().map(PrefixFieldSet::name).toList(), services,
                    DecapType.ALLOW_ALL, random.nextBoolean() ? new MatchAction.Forward() : new MatchAction.Drop(),
                    Optional.empty(), false));
        }
        TrafficPolicyPlan policy = new TrafficPolicyPlan("random", "ALL", "", 1, List.of("random"), matches);
        Device host = new Device("lab-" + device, Platform.NFTABLES, Role.SWITCH, "linux", Optional.empty(), Optional.empty(),
                tags, SourceLocation.of("test"));
        List<PrefixFieldSet> allSets = prefixSets.values().stream().flatMap(List::stream).toList();
        return new DevicePlan(host, false, List.of(policy), allSets, serviceSets, List.of(), Optional.empty());
    }

    /** 0-2 distinct items (at least {@code least}). */
    private static <T> List<T> pick(Random random, List<T> items, int least) {
        List<T> picked = new ArrayList<>();
        for (int k = least + random.nextInt(3 - least); k > 0; k--) {
            T item = items.get(random.nextInt(items.size()));
            if (!picked.contains(item)) {
                picked.add(item);
            }
        }
        return picked;
    }

    private static PortSpec sourcePorts(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> new PortSpec(List.of(new PortItem.Number(53)));
            case 1 -> new PortSpec(List.of(new PortItem.Range(1000, 1999)));
            default -> PortSpec.ALL;
        };
    }

    private static PortSpec destinationPorts(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> new PortSpec(List.of(new PortItem.Number(53)));
            case 1 -> new PortSpec(List.of(new PortItem.Number(80)));
            case 2 -> new PortSpec(List.of(new PortItem.Range(80, 90)));
            case 3 -> new PortSpec(List.of(new PortItem.Number(443), new PortItem.Number(8443)));
            default -> PortSpec.ALL;
        };
    }

    private static IPAddress ip(String text) {
        return new IPAddressString(text).getAddress();
    }

    private static void run(String... command) {
        Commands.Result r = Commands.run(T, List.of(command));
        assertThat(r.ok()).as(r.failure()).isTrue();
    }
}
