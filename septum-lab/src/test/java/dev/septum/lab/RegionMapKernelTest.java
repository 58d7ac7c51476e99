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
 * model, in a real kernel, on random policies: ordered rules over overlapping prefixes, port ranges,
 * both protocols, forward and drop, with an occasional rule without services (which stays linear and
 * splits the runs around it). Each policy is rendered with maps forced on from runs of two matches,
 * loaded into a stateless bridge table in a namespace, and packets cross the bridge from a sender to
 * a sink; the per-match counter that moved (a counter after the policy catches "no match") must be
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
    private static final int POLICIES = 4;
    private static final int PACKETS = 40;
    private static final List<String> HOSTS = List.of("10.9.0.1", "10.9.0.2", "10.9.1.1", "10.9.1.130");
    private static final List<String> PREFIXES = List.of("10.9.0.1/32", "10.9.0.2/32", "10.9.1.1/32", "10.9.1.130/32",
            "10.9.0.0/24", "10.9.1.0/24", "10.9.1.128/25", "10.9.0.0/23", "10.9.0.0/16");
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
            // no IPv6 chatter (router solicitations, MLD) crossing the bridge while counters are read
            run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
        }
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
        for (String a : HOSTS) {
            // the sender owns every address, sends to each of them over the bridge (its own table
            // comes after the one routing 10.9/16 out of eth0), straight to the sink's MAC
            run("ip", "-n", SENDER, "addr", "add", a + "/32", "dev", "eth0");
            run("ip", "-n", SENDER, "neigh", "replace", a, "lladdr", SINK_MAC, "dev", "eth0", "nud", "permanent");
        }
        run("ip", "-n", SENDER, "route", "add", "10.9.0.0/16", "dev", "eth0", "table", "100");
        run("ip", "-n", SENDER, "rule", "add", "pref", "10", "lookup", "100");
        run("ip", "-n", SENDER, "rule", "add", "pref", "1000", "lookup", "local");
        run("ip", "-n", SENDER, "rule", "del", "pref", "0");
    }

    @AfterAll
    static void teardown() {
        Topology.removeLeftovers(PREFIX);
    }

    @Test
    void regionMapsDecideEveryPacketAsTheFirstMatchModelDoes() throws Exception {
        long seed = Long.getLong("septum.regionSeed", System.nanoTime());
        Random random = new Random(seed);
        CounterProbe probe = new CounterProbe(new NftablesDriver(new NftTarget.Namespace(HV)), "bridge", FALLTHROUGH);
        List<String> differences = new ArrayList<>();
        int mappedDecisions = 0;
        int port = 20000;
        for (int p = 0; p < POLICIES; p++) {
            DevicePlan plan = randomPlan(random);
            String script = new NftablesRenderer(2).render(plan);
            assertThat(script).as("seed %d: the map form is under test", seed).contains(" vmap @");
            Commands.Result applied = Commands.run(T, List.of("ip", "netns", "exec", HV, "nft", "-f", "-"), script);
            assertThat(applied.ok()).as("seed %d: nft -f of\n%s\n%s", seed, script, applied.failure()).isTrue();
            run("ip", "netns", "exec", HV, "nft", "add", "counter", "bridge", "septum", FALLTHROUGH);
            run("ip", "netns", "exec", HV, "nft", "add", "rule", "bridge", "septum", "forward", "ip", "saddr", "10.9.0.0/16",
                    "counter", "name", FALLTHROUGH);
            Map<String, Long> before = probe.snapshot();
            for (int i = 0; i < PACKETS; i++) {
                String from = HOSTS.get(random.nextInt(HOSTS.size()));
                String to = HOSTS.get(random.nextInt(HOSTS.size()));
                int protocol = random.nextBoolean() ? 6 : 17;
                int sport = random.nextInt(3) == 0 ? SOURCE_PORTS[random.nextInt(SOURCE_PORTS.length)] : ++port;
                int dport = DESTINATION_PORTS[random.nextInt(DESTINATION_PORTS.length)];
                Map<String, Long> after = probe.awaitMove(before,
                        NetnsThreads.callIn(SENDER, () -> CounterProbe.open(protocol, from, sport, to, dport)));
                String onKernel = CounterProbe.moved(before, after);
                before = after;
                Optional<MatchEntry> traced = FlowTracer.trace(plan, "ALL", new Flow(ip(from), ip(to), protocol, sport, dport))
                        .orElseThrow().decidedBy();
                String expected = traced.map(MatchEntry::name).orElse(FALLTHROUGH);
                if (!expected.equals(onKernel)) {
                    differences.add("policy " + p + ": " + from + ":" + sport + " -> " + to + ":" + dport + " proto " + protocol
                            + ": trace " + expected + ", kernel counter " + onKernel);
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

    /** 12-20 ordered IPv4 matches over six prefix sets and five service sets of the small universe above. */
    private static DevicePlan randomPlan(Random random) {
        List<PrefixFieldSet> prefixSets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<IPAddress> prefixes = new ArrayList<>();
            for (int k = 1 + random.nextInt(2); k > 0; k--) {
                IPAddress prefix = ip(PREFIXES.get(random.nextInt(PREFIXES.size())));
                if (!prefixes.contains(prefix)) {
                    prefixes.add(prefix);
                }
            }
            prefixSets.add(new PrefixFieldSet("G" + i + "_ipv4", IpFamily.IPV4, "G" + i, prefixes));
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
            List<String> services = random.nextInt(8) == 0 ? List.of() : pick(random, serviceSets, 1).stream()
                    .map(ServiceFieldSet::name).toList();
            matches.add(new MatchEntry("m" + i, IpFamily.IPV4, "random", "r" + i, "", false,
                    pick(random, prefixSets, 0).stream().map(PrefixFieldSet::name).toList(),
                    pick(random, prefixSets, 0).stream().map(PrefixFieldSet::name).toList(), services, DecapType.ALLOW_ALL,
                    random.nextBoolean() ? new MatchAction.Forward() : new MatchAction.Drop(), Optional.empty(), false));
        }
        TrafficPolicyPlan policy = new TrafficPolicyPlan("random", "ALL", "", 1, List.of("random"), matches);
        Device hv = new Device("lab-hv", Platform.NFTABLES, Role.SWITCH, "linux", Optional.empty(), Optional.empty(),
                List.of("bridge"), SourceLocation.of("test"));
        return new DevicePlan(hv, false, List.of(policy), prefixSets, serviceSets, List.of(), Optional.empty());
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
