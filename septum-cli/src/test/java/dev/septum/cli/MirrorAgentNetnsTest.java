package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.nftables.NftNames;
import dev.septum.compile.nftables.NftablesRenderer;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import dev.septum.model.Role;
import dev.septum.model.SourceLocation;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitored rule on Linux, end to end, in network namespaces this test creates (unique names,
 * deleted also on failure): a laptop, a router enforcing the seed's policy with Septum's nftables
 * ruleset (three rules monitored), a server namespace (web01 and the DNS server) and a monitor node.
 * Real traffic crosses the router; the rendered {@code log group} hands it to {@code septum
 * mirror-agent}, which sends it as GRE to {@code septum collect --mirror} on the monitor node; the
 * stored sessions carry the endpoints, ports, packets and bytes of that traffic and the rule that
 * decided it. No GRE device is involved (this kernel has none).
 */
class MirrorAgentNetnsTest {
    private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\" : (\\d+)");

    @TempDir
    Path tmp;

    private final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final String laptop = "sm" + id + "c";
    private final String router = "sm" + id + "e";
    private final String servers = "sm" + id + "w";
    private final String monitor = "sm" + id + "m";
    private final List<String> namespaces = new ArrayList<>();

    @Test
    void monitoredRulesOfAnNftablesRouterReachTheMonitorNodeAsSessions() throws Exception {
        Path policy = monitoredSeedPolicy();
        int group = NftNames.nflogGroup("andreas-vztx-ALL");
        Path dataDir = tmp.resolve("monitor-data");
        try {
            topology();
            Path ruleset = tmp.resolve("router.nft");
            Files.writeString(ruleset, routerRuleset(policy));
            run("ip", "netns", "exec", router, "nft", "-f", ruleset.toString());

            try (ServeProcess collector = ServeProcess.startIn(monitor, "collect", "--mirror", "10.255.1.11", "--policy",
                    policy.toString(), "--data-dir", dataDir.toString(), "--flush-interval", "200");
                 ServeProcess agent = ServeProcess.startIn(router, "mirror-agent", "--nflog-group", Integer.toString(group),
                         "--to", "10.255.1.11", "--key", "0")) {
                collector.awaitLine(Pattern.compile("active timeout 1800000 ms from monitor object andreas-vztx"));
                collector.awaitLine(Pattern.compile("receiving GRE mirrors to 10\\.255\\.1\\.11"));
                agent.awaitLine(Pattern.compile("NFLOG group " + group + " -> GRE to 10\\.255\\.1\\.11 key 0"));

                assertThat(exchange("udp", "10.100.1.7", 53, 30, 90)).isEqualTo("90");
                assertThat(exchange("tcp", "10.100.99.51", 80, 200, 1000)).isEqualTo("1000");
                Process ping = new ProcessBuilder("ip", "netns", "exec", servers, "ping", "-c", "2", "-i", "0.2", "-W", "1",
                        "172.18.6.138").redirectErrorStream(true).start();
                assertThat(ping.waitFor(20, TimeUnit.SECONDS)).isTrue();
                String pinged = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(ping.exitValue()).as("the drop-else rule drops web01's ping").isNotZero();
                assertThat(pinged).contains("2 packets transmitted, 0 received");

                assertThat(agent.terminate()).isTrue();
                Map<String, Long> sent = counters(agent, "malformed_nflog");
                long greSent = sent.get("gre_sent");
                assertThat(sent).containsEntry("nflog_packets", greSent).containsEntry("rate_limited", 0L)
                        .containsEntry("send_errors", 0L).containsEntry("not_ip", 0L);
                CollectorStoreAwait.untilStoredPackets(dataDir, greSent);
                assertThat(collector.terminate()).isTrue();
                Map<String, Long> received = counters(collector, "kernel_drops");
                assertThat(received).containsEntry("gre_packets", greSent).containsEntry("mirrored_packets_metered", greSent);
            }

            Map<String, Map<String, String>> sessions = CollectorStoreAwait.rawSessions(dataDir);
            Map<String, String> dns = sessions.get("udp 172.18.6.138 10.100.1.7:53");
            assertThat(dns).containsEntry("client_packets", "1").containsEntry("client_bytes", "58")
                    .containsEntry("server_packets", "1").containsEntry("server_bytes", "118")
                    .containsEntry("match", "allow_all_DNS").containsEntry("verdict", "forward");
            Map<String, String> http = sessions.get("tcp 172.18.6.138 10.100.99.51:80");
            assertThat(http).containsEntry("state", "complete").containsEntry("match", "clients_to_webservers");
            // the replies passed by conntrack; the flow's mark had them logged too
            assertThat(Long.parseLong(http.get("server_packets"))).isGreaterThanOrEqualTo(3);
            assertThat(Long.parseLong(http.get("server_bytes"))).isGreaterThanOrEqualTo(1000 + 3 * 40);
            assertThat(Long.parseLong(http.get("client_bytes"))).isGreaterThanOrEqualTo(200 + 4 * 40);
            assertThat(http.get("client_tcp_flags")).contains("SYN");
            Map<String, String> ping = sessions.get("icmp 10.100.99.51 172.18.6.138:0");
            assertThat(ping).containsEntry("client_packets", "2").containsEntry("client_bytes", "168")
                    .containsEntry("server_packets", "0").containsEntry("match", "drop_all_else_web-app")
                    .containsEntry("verdict", "drop");
            assertThat(sessions).hasSize(3);
        } finally {
            for (String ns : namespaces) {
                new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The seed lab with its DNS rule, its HTTP rule and its drop-else rule monitored by andreas-vztx (tunnel end 10.255.1.11). */
    private Path monitoredSeedPolicy() throws IOException {
        Path dir = tmp.resolve("policy");
        Files.createDirectories(dir);
        try (var files = Files.list(Path.of("..", "examples", "seed-lab"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path policies = dir.resolve("policies.yaml");
        String yaml = Files.readString(policies);
        for (String rule : List.of("allow_all_DNS", "clients_to_webservers", "drop_all_else_web-app")) {
            String head = "      - name: " + rule + "\n";
            assertThat(yaml).contains(head);
            yaml = yaml.replace(head, head + "        monitor: andreas-vztx\n");
        }
        Files.writeString(policies, yaml);
        return dir;
    }

    /** The switch's plan enforced by a Linux router (stateful inet table), as the lab's router namespace runs it. */
    private static String routerRuleset(Path policy) {
        LoadedPolicy loaded = PolicyLoader.loadDirectory(policy);
        assertThat(loaded.diagnostics()).isEmpty();
        Device router = new Device("lab-router", Platform.NFTABLES, Role.SWITCH, "linux", Optional.empty(), Optional.empty(),
                List.of("inet"), SourceLocation.of("lab.yaml"));
        return new NftablesRenderer().render(DevicePlanner.plan(loaded.model(), "andreasm-720xp-home").orElseThrow().on(router));
    }

    private void topology() throws IOException, InterruptedException {
        for (String ns : List.of(laptop, router, servers, monitor)) {
            run("ip", "netns", "add", ns);
            namespaces.add(ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        link(laptop, "172.18.6.138/24", router, "172.18.6.1/24", "c");
        link(servers, "10.100.99.51/24", router, "10.100.99.1/24", "w");
        link(monitor, "10.255.1.11/24", router, "10.255.1.1/24", "m");
        run("ip", "-n", servers, "addr", "add", "10.100.1.7/24", "dev", "v" + id + "w0");
        run("ip", "-n", router, "addr", "add", "10.100.1.1/24", "dev", "v" + id + "w1");
        run("ip", "-n", laptop, "route", "add", "default", "via", "172.18.6.1");
        run("ip", "-n", servers, "route", "add", "default", "via", "10.100.99.1");
        run("ip", "-n", monitor, "route", "add", "default", "via", "10.255.1.1");
        run("ip", "netns", "exec", router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    }

    private void link(String a, String addressA, String b, String addressB, String name) throws IOException, InterruptedException {
        String endA = "v" + id + name + "0";
        String endB = "v" + id + name + "1";
        run("ip", "link", "add", endA, "netns", a, "type", "veth", "peer", "name", endB, "netns", b);
        run("ip", "-n", a, "addr", "add", addressA, "dev", endA);
        run("ip", "-n", b, "addr", "add", addressB, "dev", endB);
        run("ip", "-n", a, "link", "set", endA, "up");
        run("ip", "-n", b, "link", "set", endB, "up");
    }

    /** One request of {@code size} bytes from the laptop, answered with {@code reply} bytes; returns what the client printed. */
    private String exchange(String protocol, String server, int port, int size, int reply) throws Exception {
        Path script = tmp.resolve("traffic.py");
        if (!Files.exists(script)) {
            try (InputStream in = MirrorAgentNetnsTest.class.getResourceAsStream("/mirror/traffic.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Process serve = new ProcessBuilder("ip", "netns", "exec", servers, "/usr/bin/python3", script.toString(),
                protocol + "-server", server, Integer.toString(port), Integer.toString(reply)).redirectErrorStream(true).start();
        try {
            BufferedReader ready = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            assertThat(ready.readLine()).as(protocol + " server in " + servers).isEqualTo("ready");
            Process client = new ProcessBuilder("ip", "netns", "exec", laptop, "/usr/bin/python3", script.toString(),
                    protocol + "-client", server, Integer.toString(port), Integer.toString(size)).redirectErrorStream(true).start();
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).as(protocol + " client finished").isTrue();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(client.exitValue()).as(out).isZero();
            assertThat(serve.waitFor(20, TimeUnit.SECONDS)).as(protocol + " server finished").isTrue();
            return out;
        } finally {
            serve.destroyForcibly();
        }
    }

    /** The JSON counters a stopped command printed, read line by line up to {@code last}. */
    private static Map<String, Long> counters(ServeProcess process, String last) throws InterruptedException {
        Map<String, Long> m = new LinkedHashMap<>();
        while (true) {
            var match = process.awaitLine(NUMBER);
            m.put(match.group(1), Long.parseLong(match.group(2)));
            if (match.group(1).equals(last)) {
                return m;
            }
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    /** Reading the monitor node's store from the test, as {@code septum sessions --raw --output csv} shows it. */
    private static final class CollectorStoreAwait {
        static Map<String, Map<String, String>> rawSessions(Path dataDir) {
            CliRun r = CliRun.of("sessions", "--data-dir", dataDir.toString(), "--raw", "--output", "csv");
            Map<String, Map<String, String>> bySession = new LinkedHashMap<>();
            if (r.code() != 0) {
                return bySession;
            }
            List<String> lines = r.out().lines().toList();
            List<String> header = Arrays.asList(lines.getFirst().split(",", -1));
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size() && i < cells.length; i++) {
                    row.put(header.get(i), cells[i]);
                }
                bySession.put(row.get("proto") + " " + row.get("client") + " " + row.get("server") + ":" + row.get("server_port"), row);
            }
            return bySession;
        }

        static void untilStoredPackets(Path dataDir, long packets) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long stored = -1;
            while (System.nanoTime() < deadline) {
                stored = rawSessions(dataDir).values().stream()
                        .mapToLong(r -> Long.parseLong(r.get("client_packets")) + Long.parseLong(r.get("server_packets"))).sum();
                if (stored == packets) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("the monitor's store holds " + stored + " packets, the agent sent " + packets);
        }
    }
}
