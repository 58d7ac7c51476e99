package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.eos.EosRenderer;
import dev.septum.compile.nftables.NftablesRenderer;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.deploy.Commands;
import dev.septum.deploy.nftables.NftTarget;
import dev.septum.deploy.nftables.NftablesDriver;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import dev.septum.model.Role;
import dev.septum.model.SourceLocation;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both renderers give the same verdict on the same flows. The EOS side is the EOS renderer's
 * text, decided by {@link EosTextEvaluator} (the switch's stateless first-match rules); the
 * nftables side is the nftables renderer's script in a real kernel: a router namespace forwards
 * one packet per flow from a sender to a sink, and the per-match counter that moved says which
 * match decided (a counter after the policy catches "no match"). Every address of the seed's
 * groups, plus an outsider, talks to every other on the seed's services and on replies from
 * service ports.
 *
 * <p>The verification engine's {@link FlowTracer} is held to the same flows: from the plans
 * alone it must name the match the switch text and the kernel chose.
 *
 * <p>The one designed difference: a new flow that EOS lets through only because of a forward
 * rule's {@code -reverse} match (a server opening a flow from its service port) is not accepted
 * by that match on nftables, which keeps evaluating (conntrack passes real replies); the test
 * checks those flows land where the rules without that reverse match send them.
 */
class RendererEquivalenceTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final String PREFIX = "sxe" + ProcessHandle.current().pid() + "-";
    private static final String SENDER = PREFIX + "sender";
    private static final String ROUTER = PREFIX + "router";
    private static final String SINK = PREFIX + "sink";
    private static final String FALLTHROUGH = "septum_test_no_match";
    private static final List<String> ADDRESSES = List.of("172.18.6.138", "10.100.1.7", "10.100.99.50", "10.100.99.51",
            "10.100.99.52", "198.51.100.7");

    /** protocol, source port (0: a fresh ephemeral port), destination port. */
    private static final int[][] SERVICES = {
        {17, 0, 53}, {17, 0, 123}, {6, 0, 22}, {6, 0, 80}, {6, 0, 4567}, {1, 0, 0},
        {6, 80, 33333}, {6, 22, 33333}, {6, 4567, 33333}, {17, 53, 33333}, {17, 123, 33333}};

    @BeforeAll
    static void buildSenderRouterSink() {
        Topology.removeLeftovers(PREFIX);
        for (String ns : List.of(SENDER, ROUTER, SINK)) {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        run("ip", "link", "add", "name", "eth0", "netns", SENDER, "type", "veth", "peer", "name", "r0", "netns", ROUTER);
        run("ip", "link", "add", "name", "eth0", "netns", SINK, "type", "veth", "peer", "name", "r1", "netns", ROUTER);
        run("ip", "-n", SENDER, "addr", "add", "192.0.2.2/24", "dev", "eth0");
        run("ip", "-n", ROUTER, "addr", "add", "192.0.2.1/24", "dev", "r0");
        run("ip", "-n", ROUTER, "addr", "add", "198.51.100.1/24", "dev", "r1");
        run("ip", "-n", SINK, "addr", "add", "198.51.100.2/24", "dev", "eth0");
        for (String[] link : new String[][] {{SENDER, "eth0"}, {SINK, "eth0"}, {ROUTER, "r0"}, {ROUTER, "r1"}}) {
            run("ip", "-n", link[0], "link", "set", link[1], "up");
        }
        for (String a : ADDRESSES) {
            // every address is a source (sender) and a destination (sink); the router routes them all to the sink
            run("ip", "-n", SENDER, "addr", "add", a + "/32", "dev", "eth0");
            run("ip", "-n", SINK, "addr", "add", a + "/32", "dev", "eth0");
            run("ip", "-n", ROUTER, "route", "add", a + "/32", "via", "198.51.100.2");
        }
        // the sender sends even to its own addresses through the router: its own table comes after ours
        run("ip", "-n", SENDER, "route", "add", "default", "via", "192.0.2.1", "table", "100");
        run("ip", "-n", SENDER, "rule", "add", "pref", "10", "lookup", "100");
        run("ip", "-n", SENDER, "rule", "add", "pref", "1000", "lookup", "local");
        run("ip", "-n", SENDER, "rule", "del", "pref", "0");
        run("ip", "netns", "exec", ROUTER, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0",
                "net.ipv4.conf.r0.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
    }

    @AfterAll
    static void teardown() {
        Topology.removeLeftovers(PREFIX);
    }

    @Test
    void seedPolicyDecidesEveryFlowAlikeOnEosAndNftables() throws Exception {
        LoadedPolicy loaded = PolicyLoader.loadDirectory(Path.of("..", "examples", "seed-lab"));
        DevicePlan plan = DevicePlanner.plan(loaded.model(), "andreasm-720xp-home").orElseThrow();
        EosTextEvaluator eos = new EosTextEvaluator(new EosRenderer().render(plan));
        Device router = new Device("lab-router", Platform.NFTABLES, Role.SWITCH, "linux", Optional.empty(), Optional.empty(),
                List.of("inet"), SourceLocation.of("test"));
        NftablesDriver driver = new NftablesDriver(new NftTarget.Namespace(ROUTER));
        DevicePlan linuxPlan = plan.on(router);
        assertThat(driver.apply(new NftablesRenderer().render(linuxPlan)).applied()).isTrue();
        run("ip", "netns", "exec", ROUTER, "nft", "add", "counter", "inet", "septum", FALLTHROUGH);
        run("ip", "netns", "exec", ROUTER, "nft", "add", "rule", "inet", "septum", "forward", "counter", "name", FALLTHROUGH);

        List<String> differences = new ArrayList<>();
        int flows = 0;
        int reverseOnly = 0;
        int port = 40000;
        CounterProbe probe = new CounterProbe(driver, "inet", FALLTHROUGH);
        Map<String, Long> before = probe.snapshot();
        for (String from : ADDRESSES) {
            for (String to : ADDRESSES) {
                if (from.equals(to)) {
                    continue;
                }
                for (int[] s : SERVICES) {
                    int sport = s[1] == 0 ? ++port : s[1];
                    EosTextEvaluator.Packet packet = new EosTextEvaluator.Packet(ip(from), ip(to), s[0], sport, s[2]);
                    EosTextEvaluator.Decision onEos = eos.decide(packet);
                    boolean viaForwardReverse = onEos.match().endsWith("-reverse") && onEos.action().equals("forward");
                    EosTextEvaluator.Decision expected = viaForwardReverse
                            ? eos.decide(packet, m -> m.name().endsWith("-reverse") && m.action().equals("forward")) : onEos;
                    Map<String, Long> after = send(probe, before, from, to, s[0], sport, s[2]);
                    String onNft = CounterProbe.moved(before, after);
                    before = after;
                    flows++;
                    reverseOnly += viaForwardReverse ? 1 : 0;
                    String want = expected.match().equals("default") ? FALLTHROUGH : expected.match();
                    if (!want.equals(onNft)) {
                        differences.add(from + ":" + sport + " -> " + to + ":" + s[2] + " proto " + s[0] + ": EOS " + onEos
                                + ", nftables counter " + onNft);
                    }
                    // the verification engine's tracer must predict both devices, from the plans alone
                    Flow flow = new Flow(ip(from), ip(to), s[0], s[0] == 1 ? 0 : sport, s[0] == 1 ? 0 : s[2]);
                    String traced = traced(linuxPlan, flow);
                    String tracedOnSwitch = traced(plan, flow);
                    if (!traced.equals(onNft) || !tracedOnSwitch.equals(onEos.match().equals("default") ? FALLTHROUGH : onEos.match())) {
                        differences.add(flow + ": septum trace says " + tracedOnSwitch + " on EOS and " + traced
                                + " on nftables; EOS text " + onEos + ", nftables counter " + onNft);
                    }
                }
            }
        }
        System.out.println(flows + " flows compared, " + reverseOnly + " opened only through a forward rule's -reverse match");
        assertThat(differences).as("flows where the nftables match differs from the EOS match").isEmpty();
        assertThat(flows).isEqualTo(30 * SERVICES.length);
        assertThat(reverseOnly).as("the designed difference is exercised").isPositive();
    }

    /** Sends the flow's first packet: UDP and TCP from sockets opened in the sender's namespace, ICMP with ping. */
    private static Map<String, Long> send(CounterProbe probe, Map<String, Long> before, String from, String to,
                                          int protocol, int sport, int dport) throws IOException, InterruptedException {
        Closeable flow = switch (protocol) {
            case 6, 17 -> NetnsThreads.callIn(SENDER, () -> CounterProbe.open(protocol, from, sport, to, dport));
            default -> {
                Process p = new ProcessBuilder("ip", "netns", "exec", SENDER, "ping", "-n", "-c", "1", "-W", "2", "-I", from, to)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                yield () -> {
                    p.destroyForcibly();
                };
            }
        };
        return probe.awaitMove(before, flow);
    }

    private static String traced(DevicePlan plan, Flow flow) {
        FlowTracer.Trace trace = FlowTracer.trace(plan, "ALL", flow).orElseThrow();
        return trace.decidedBy().map(m -> m.name()).orElse(FALLTHROUGH);
    }

    private static IPAddress ip(String text) {
        return new IPAddressString(text).getAddress();
    }

    private static void run(String... command) {
        Commands.Result r = Commands.run(T, List.of(command));
        assertThat(r.ok()).as(r.failure()).isTrue();
    }
}
