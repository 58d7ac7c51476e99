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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed lab in network namespaces for the mirror tests (names unique per run, all deleted on
 * {@link #close()}, also when building them failed half way): a laptop (172.18.6.138, .139, and
 * the internet stand-in 203.0.113.8), a
 * router enforcing the switch's plan with Septum's nftables ruleset, a server namespace (web01
 * 10.100.99.51, the DNS/NTP servers 10.100.1.6 and .7) and the monitor node (10.255.1.11, the
 * seed's vZTX loopback). Real traffic, real GRE from {@code septum mirror-agent} to {@code septum
 * collect --mirror}.
 */
final class MirrorTopology implements AutoCloseable {
    static final String MONITOR_ADDRESS = "10.255.1.11";
    /** The seed lab's internet stand-in (8.8.8.8 and the Ubuntu mirrors in the field report), on the laptop's link. */
    static final String INTERNET = "203.0.113.8";
    private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\" : (\\d+)");

    final String laptop;
    final String router;
    final String servers;
    final String monitor;
    private final String id;
    private final Path tmp;
    private final List<String> namespaces = new ArrayList<>();

    private MirrorTopology(Path tmp) {
        this.tmp = tmp;
        this.id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        this.laptop = "sm" + id + "c";
        this.router = "sm" + id + "e";
        this.servers = "sm" + id + "w";
        this.monitor = "sm" + id + "m";
    }

    static MirrorTopology up(Path tmp) throws IOException, InterruptedException {
        MirrorTopology t = new MirrorTopology(tmp);
        try {
            t.build();
            return t;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            t.close();
            throw e;
        }
    }

    private void build() throws IOException, InterruptedException {
        for (String ns : List.of(laptop, router, servers, monitor)) {
            run("ip", "netns", "add", ns);
            namespaces.add(ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        link(laptop, "172.18.6.138/24", router, "172.18.6.1/24", "c");
        link(servers, "10.100.99.51/24", router, "10.100.99.1/24", "w");
        link(monitor, MONITOR_ADDRESS + "/24", router, "10.255.1.1/24", "m");
        run("ip", "-n", laptop, "addr", "add", "172.18.6.139/24", "dev", "v" + id + "c0");
        run("ip", "-n", laptop, "addr", "add", INTERNET + "/24", "dev", "v" + id + "c0");
        run("ip", "-n", router, "addr", "add", "203.0.113.1/24", "dev", "v" + id + "c1");
        run("ip", "-n", servers, "addr", "add", "10.100.1.6/24", "dev", "v" + id + "w0");
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

    /** Loads the switch's plan of {@code policy} on the router (a Linux router, stateful inet table), as the lab's router runs it. */
    void enforce(Path policy) throws IOException, InterruptedException {
        LoadedPolicy loaded = PolicyLoader.loadDirectory(policy);
        assertThat(loaded.diagnostics()).isEmpty();
        Device linux = new Device("lab-router", Platform.NFTABLES, Role.SWITCH, "linux", Optional.empty(), Optional.empty(),
                List.of("inet"), SourceLocation.of("lab.yaml"));
        Path ruleset = tmp.resolve("router.nft");
        Files.writeString(ruleset, new NftablesRenderer().render(DevicePlanner.plan(loaded.model(), "andreasm-720xp-home").orElseThrow().on(linux)));
        run("ip", "netns", "exec", router, "nft", "-f", ruleset.toString());
    }

    /** Packets the router's named counter of {@code rule} has counted. */
    long ruleCounter(String rule) throws IOException, InterruptedException {
        String out = run("ip", "netns", "exec", router, "nft", "list", "counter", "inet", "septum", "c_" + rule);
        Matcher m = Pattern.compile("packets (\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** {@code septum collect --mirror} on the monitor node and {@code septum mirror-agent} on the router, both ready. */
    Mirror startMirror(Path policy, Path dataDir, String monitorObject) throws IOException, InterruptedException {
        int group = NftNames.nflogGroup(monitorObject + "-ALL");
        ServeProcess collector = ServeProcess.startIn(monitor, "collect", "--mirror", MONITOR_ADDRESS, "--policy", policy.toString(),
                "--data-dir", dataDir.toString(), "--flush-interval", "200");
        ServeProcess agent;
        try {
            agent = ServeProcess.startIn(router, "mirror-agent", "--nflog-group", Integer.toString(group), "--to", MONITOR_ADDRESS,
                    "--key", "0");
        } catch (IOException e) {
            collector.close();
            throw e;
        }
        Mirror mirror = new Mirror(collector, agent, dataDir);
        try {
            collector.awaitLine(Pattern.compile("active timeout 1800000 ms from monitor object " + monitorObject));
            collector.awaitLine(Pattern.compile("receiving GRE mirrors to 10\\.255\\.1\\.11"));
            agent.awaitLine(Pattern.compile("NFLOG group " + group + " -> GRE to 10\\.255\\.1\\.11 key 0"));
        } catch (InterruptedException | RuntimeException | AssertionError e) {
            mirror.close();
            throw e;
        }
        return mirror;
    }

    /** The collector and the agent of one mirror run. */
    record Mirror(ServeProcess collector, ServeProcess agent, Path dataDir) implements AutoCloseable {
        /**
         * Waits until the store shows {@code lastArrived} (the kernel hands NFLOG packets over in
         * order, each as it is logged at the agent's default batch of 1: once the last packet of the traffic is stored,
         * all earlier ones are), stops the agent, waits until the store holds every packet it sent,
         * stops the collector and checks the counters of both: every NFLOG packet sent as GRE, none
         * lost, limited or malformed; returns the packets mirrored.
         */
        long drain(Predicate<Map<String, Map<String, String>>> lastArrived) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Map<String, Map<String, String>> stored = rawSessions(dataDir);
            while (!lastArrived.test(stored)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the traffic's last packet never reached the monitor's store: " + stored);
                }
                Thread.sleep(100);
                stored = rawSessions(dataDir);
            }
            assertThat(agent.terminate()).isTrue();
            Map<String, Long> sent = counters(agent, "malformed_nflog");
            long greSent = sent.get("gre_sent");
            assertThat(sent).containsEntry("nflog_packets", greSent).containsEntry("rate_limited", 0L)
                    .containsEntry("send_errors", 0L).containsEntry("not_ip", 0L);
            untilStoredPackets(dataDir, greSent);
            assertThat(collector.terminate()).isTrue();
            Map<String, Long> received = counters(collector, "kernel_drops");
            assertThat(received).containsEntry("gre_packets", greSent).containsEntry("mirrored_packets_metered", greSent);
            return greSent;
        }

        @Override
        public void close() throws InterruptedException {
            agent.close();
            collector.close();
        }
    }

    /** One request of {@code size} bytes from the laptop's {@code from} address, answered with {@code reply} bytes; returns what the client printed. */
    String exchange(String protocol, String from, String server, int port, int size, int reply) throws Exception {
        Path script = script();
        Process serve = new ProcessBuilder("ip", "netns", "exec", servers, "/usr/bin/python3", script.toString(),
                protocol + "-server", server, Integer.toString(port), Integer.toString(reply)).redirectErrorStream(true).start();
        try {
            BufferedReader ready = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            assertThat(ready.readLine()).as(protocol + " server in " + servers).isEqualTo("ready");
            Process client = new ProcessBuilder("ip", "netns", "exec", laptop, "/usr/bin/python3", script.toString(),
                    protocol + "-client", server, Integer.toString(port), Integer.toString(size), from)
                    .redirectErrorStream(true).start();
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).as(protocol + " client finished").isTrue();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(client.exitValue()).as(out).isZero();
            assertThat(serve.waitFor(20, TimeUnit.SECONDS)).as(protocol + " server finished").isTrue();
            return out;
        } finally {
            serve.destroyForcibly();
        }
    }

    /** A TCP connection attempt from namespace {@code ns}, address {@code from}, given up after a second; returns how it ended. */
    String attempt(String ns, String from, String server, int port) throws Exception {
        Process client = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3", script().toString(), "tcp-attempt", server,
                Integer.toString(port), "1", from).redirectErrorStream(true).start();
        assertThat(client.waitFor(20, TimeUnit.SECONDS)).as("tcp attempt finished").isTrue();
        return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private Path script() throws IOException {
        Path script = tmp.resolve("traffic.py");
        if (!Files.exists(script)) {
            try (InputStream in = MirrorTopology.class.getResourceAsStream("/mirror/traffic.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return script;
    }

    /**
     * A copy of the seed lab's policy directory under {@code tmp} with {@code rules} monitored by
     * andreas-vztx (tunnel end 10.255.1.11).
     */
    static Path seedLabMonitoring(Path tmp, String... rules) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("policy"));
        try (var files = Files.list(Path.of("..", "examples", "seed-lab"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path policies = dir.resolve("policies.yaml");
        String yaml = Files.readString(policies);
        for (String rule : rules) {
            String head = "      - name: " + rule + "\n";
            assertThat(yaml).contains(head);
            yaml = yaml.replace(head, head + "        monitor: andreas-vztx\n");
        }
        Files.writeString(policies, yaml);
        return dir;
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

    /** The monitor node's store as {@code septum sessions --raw --output csv} shows it, by "proto client server:port". */
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

    private static void untilStoredPackets(Path dataDir, long packets) throws InterruptedException {
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

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        for (String ns : namespaces) {
            try {
                new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                // the next namespace is still ours to delete; ip's own error is not the test's answer
            }
        }
    }
}
