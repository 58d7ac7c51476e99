package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.export.IpfixExporter;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.session.SessionState;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code septum collect} and {@code septum sessions} as a user runs them, on loopback. */
class FlowsCliTest {
    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The collector opens its store before binding; send only once the socket exists. */
    static void waitForUdpListener(int port) throws Exception {
        String needle = String.format(":%04X ", port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!java.nio.file.Files.readString(Path.of("/proc/net/udp")).contains(needle)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("collect did not bind udp port " + port + " within 20 s");
            }
            Thread.sleep(20);
        }
    }

    static SessionRow https(int i) {
        return new SessionRow(1, 6, new Endpoint(IpAddr.v4(0x0A010005L), 40000 + i), new Endpoint(IpAddr.parse("10.2.0.1"), 443),
                5, 600, 0x1B, 4, 3600, 0x1B, SessionState.COMPLETE, 1_700_000_000_000L + i, 1_700_000_001_000L + i,
                DirectionEvidence.TCP_FLAGS, 1, EndReason.IDLE_TIMEOUT);
    }

    /** Runs {@code collect --listen 127.0.0.1:PORT ARGS} while our exporter sends it {@code sessions} sessions. */
    CliRun collectWhileExporting(int port, int sessions, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("collect", "--listen", "127.0.0.1:" + port));
        command.addAll(List.of(args));
        CompletableFuture<CliRun> collect = CompletableFuture.supplyAsync(() -> run(command.toArray(String[]::new)));
        waitForUdpListener(port);
        try (IpfixExporter exporter = IpfixExporter.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1)) {
            for (int i = 0; i < sessions; i++) {
                exporter.exported(https(i));
            }
        }
        return collect.get(30, TimeUnit.SECONDS);
    }

    @Test
    void collectStoresWhatArrivesAndSessionsShowsItFoldedRawAndAsCsv() throws Exception {
        int port = freePort();
        String dataDir = tmp.resolve("data").toString();
        CliRun c = collectWhileExporting(port, 30, "--data-dir", dataDir, "--duration", "6", "--flush-interval", "200");
        assertThat(c.code()).as(c.err()).isZero();
        JsonNode counters = DiagnosticPrinter.JSON.readTree(c.out());
        assertThat(counters.get("data_records").asLong()).isEqualTo(30);
        assertThat(counters.get("sessions_created").asLong()).isEqualTo(30);
        assertThat(counters.get("store_rows_written").asLong()).isEqualTo(30);
        // the default socket path on Linux (x86_64, aarch64), where Septum runs
        assertThat(c.err()).contains("receiving on").contains("127.0.0.1:" + port)
                .contains("recvmmsg, up to 64 datagrams per call");

        CliRun table = run("sessions", "--data-dir", dataDir);
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("10.1.0.5").contains("eph").contains("10.2.0.1").contains("(1 line)");
        assertThat(table.out().lines().filter(l -> l.contains("10.2.0.1")).findFirst().orElseThrow())
                .contains(" 30 ").contains("18000").contains("108000");

        CliRun raw = run("sessions", "--data-dir", dataDir, "--raw", "--output", "csv");
        assertThat(raw.out().lines()).hasSize(31);
        assertThat(raw.out().lines().findFirst().orElseThrow()).startsWith("vrf,proto,client,client_port,server");
        assertThat(raw.out()).contains("1,tcp,10.1.0.5,40007,10.2.0.1,443,complete,5,600,FIN SYN PSH ACK,4,3600,FIN SYN PSH ACK,");
        JsonNode rawJson = DiagnosticPrinter.JSON.readTree(run("sessions", "--data-dir", dataDir, "--raw", "-o", "json").out());
        assertThat(rawJson.get("sessions").get(0).get("client_tcp_flags").asString()).isEqualTo("FIN SYN PSH ACK");
        assertThat(rawJson.get("sessions").get(0).get("server_tcp_flags").asString()).isEqualTo("FIN SYN PSH ACK");

        // VRF ids are unsigned 32-bit: the largest is a valid filter (matching nothing here)
        assertThat(run("sessions", "--data-dir", dataDir, "--vrf", "1").out()).contains("10.2.0.1");
        CliRun highVrf = run("sessions", "--data-dir", dataDir, "--vrf", "4294967295");
        assertThat(highVrf.code()).as(highVrf.err()).isZero();
        assertThat(highVrf.out()).doesNotContain("10.2.0.1");

        CliRun json = run("sessions", "--data-dir", dataDir, "--port", "22", "--output", "json");
        assertThat(DiagnosticPrinter.JSON.readTree(json.out()).get("sessions")).isEmpty();
    }

    @Test
    void collectReceivesWithTheChannelWhenAskedAndRejectsAnUnknownPath() throws Exception {
        int port = freePort();
        CliRun c = collectWhileExporting(port, 5, "--no-store", "--duration", "3", "--receive-with", "channel");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.err()).contains("DatagramChannel").doesNotContain("recvmmsg");
        assertThat(DiagnosticPrinter.JSON.readTree(c.out()).get("data_records").asLong()).isEqualTo(5);

        CliRun bad = run("collect", "--no-store", "--duration", "1", "--receive-with", "io_uring");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--receive-with").contains("AUTO, RECVMMSG, CHANNEL");
    }

    @Test
    void sessionsAreTaggedWithGroupsAndTheDecidingRuleOfThePolicy() throws Exception {
        FlowStore store = new FlowStore(tmp.resolve("tagged"));
        store.initialise();
        store.write(List.of(
                session("172.18.6.20", 50000, "10.100.99.50", 4567),   // a client to appserver1: dropped
                session("10.100.99.51", 50001, "10.100.99.50", 4567),  // web01 to appserver1: allowed
                session("172.18.6.20", 50002, "10.100.99.51", 80)),    // a client to web01 HTTP: allowed
                List.of(), 1_700_000_002_000L, Long.MAX_VALUE / 2);

        CliRun all = run("sessions", "--data-dir", tmp.resolve("tagged").toString(), "--policy", "../examples/seed-lab",
                "--output", "csv");
        CliRun dropped = run("sessions", "--data-dir", tmp.resolve("tagged").toString(), "--policy", "../examples/seed-lab",
                "--rule", "drop_all_else_web-app", "--output", "csv");

        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.out().lines().findFirst().orElseThrow())
                .endsWith(",client_groups,server_groups,services,match,verdict,policy_version");
        String version = PolicyTagging.version(Path.of("../examples/seed-lab"));
        assertThat(version).matches("\\.\\./examples/seed-lab@[0-9a-f]{12}");
        assertThat(all.out()).contains(",wifi_clients,appserver1 web-appserver1,appserver1-tcp,drop_all_else_web-app-reverse,drop," + version)
                .contains(",web01_web02 web-appserver1,appserver1 web-appserver1,appserver1-tcp,web-to-appserver1,forward,")
                .contains(",wifi_clients,web01_web02 web-appserver1,HTTP,clients_to_webservers,forward,");
        assertThat(dropped.out().lines()).hasSize(2);
        assertThat(dropped.out()).contains("172.18.6.20").contains(",4567,");

        CliRun wifi = run("sessions", "--data-dir", tmp.resolve("tagged").toString(), "--policy", "../examples/seed-lab",
                "--group", "wifi_clients", "--output", "csv");
        assertThat(wifi.code()).as(wifi.err()).isZero();
        assertThat(wifi.out().lines().skip(1)).hasSize(2).allMatch(l -> l.contains("172.18.6.20"));
        // server side counts too: web01 is the client of one line and the server of another
        CliRun web = run("sessions", "--data-dir", tmp.resolve("tagged").toString(), "--policy", "../examples/seed-lab",
                "--group", "web01_web02", "--output", "csv");
        assertThat(web.out().lines().skip(1)).hasSize(2).allMatch(l -> l.contains("10.100.99.51"));
        CliRun unknown = run("sessions", "--data-dir", tmp.resolve("tagged").toString(), "--policy", "../examples/seed-lab",
                "--group", "nosuch");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no group 'nosuch'").contains("wifi_clients");
        // these sessions were stored untagged: without --policy nothing is tagged so, and the hint says how to tag
        CliRun noPolicy = run("sessions", "--data-dir", tmp.resolve("tagged").toString(), "--group", "wifi_clients");
        assertThat(noPolicy.code()).as(noPolicy.err()).isZero();
        assertThat(noPolicy.out()).contains("(0 lines)");
        assertThat(noPolicy.err()).contains("no stored session carries these tags").contains("collect --policy DIR");
        CliRun device = run("sessions", "--data-dir", tmp.resolve("tagged").toString(), "--device", "andreasm-720xp-home");
        assertThat(device.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(device.err()).contains("--device needs --policy DIR");
    }

    @Test
    void collectWithAPolicyStoresTagsSoSessionsFindsWhatARuleDecidedWithoutThePolicy() throws Exception {
        int port = freePort();
        String dataDir = tmp.resolve("collected").toString();
        CompletableFuture<CliRun> collect = CompletableFuture.supplyAsync(() -> run("collect", "--listen", "127.0.0.1:" + port,
                "--data-dir", dataDir, "--duration", "6", "--flush-interval", "200", "--policy", "../examples/seed-lab"));
        waitForUdpListener(port);
        try (IpfixExporter exporter = IpfixExporter.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1)) {
            exporter.exported(session("172.18.6.20", 50000, "10.100.99.50", 4567));   // dropped by drop_all_else_web-app-reverse
            exporter.exported(session("10.100.99.51", 50001, "10.100.99.50", 4567));  // web-to-appserver1
            exporter.exported(session("10.100.99.50", 50003, "8.8.8.8", 443));        // dropped by drop_all_else_web-app
        }
        CliRun c = collect.get(30, TimeUnit.SECONDS);
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.err()).contains("tagging sessions with ../examples/seed-lab@").contains("andreasm-720xp-home");

        CliRun dropped = run("sessions", "--data-dir", dataDir, "--rule", "drop_all_else_web-app", "--raw", "--output", "csv");
        assertThat(dropped.code()).as(dropped.err()).isZero();
        assertThat(dropped.out().lines().skip(1)).hasSize(2)
                .anySatisfy(l -> assertThat(l).startsWith("0,tcp,172.18.6.20,50000,10.100.99.50,4567,").contains(",drop_all_else_web-app-reverse,drop,"))
                .anySatisfy(l -> assertThat(l).startsWith("0,tcp,10.100.99.50,50003,8.8.8.8,443,").contains(",drop_all_else_web-app,drop,"));
        CliRun app = run("sessions", "--data-dir", dataDir, "--service", "appserver1-tcp", "--group", "web01_web02", "--output", "csv");
        assertThat(app.out().lines().skip(1)).singleElement().asString().contains("10.100.99.51").contains(",web-to-appserver1,forward,");
        // re-tagging against the first, DNS/NTP-only version: nothing is dropped by that rule there
        CliRun retagged = run("sessions", "--data-dir", dataDir, "--policy", "../examples/seed-lab-dns-ntp", "--rule", "drop_all_else_web-app");
        assertThat(retagged.code()).as(retagged.err()).isZero();
        assertThat(retagged.out()).contains("(0 lines)");
        CliRun badPolicy = run("collect", "--listen", "127.0.0.1:" + port, "--no-store", "--policy", "../examples/seed-lab");
        assertThat(badPolicy.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPolicy.err()).contains("cannot go with --no-store");
    }

    private static SessionRow session(String client, int clientPort, String server, int serverPort) {
        return new SessionRow(0, 6, new Endpoint(IpAddr.parse(client), clientPort), new Endpoint(IpAddr.parse(server), serverPort),
                3, 180, 0x1B, 2, 120, 0x1B, SessionState.COMPLETE, 1_700_000_000_000L, 1_700_000_001_000L,
                DirectionEvidence.TCP_FLAGS, 1, EndReason.IDLE_TIMEOUT);
    }

    @Test
    void sessionsWithoutAStoreSaysHowToGetOne() {
        CliRun r = run("sessions", "--data-dir", tmp.resolve("nothing").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.IO);
        assertThat(r.err()).contains("no flow store at").contains("septum collect --data-dir");
    }

    @Test
    void badFiltersAreUsageErrorsThatNameTheFix() {
        CliRun proto = run("sessions", "--data-dir", tmp.toString(), "--proto", "tcpp");
        assertThat(proto.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(proto.err()).contains("--proto 'tcpp' is not tcp, udp, icmp, icmpv6 or 0-255");
        CliRun since = run("sessions", "--data-dir", tmp.toString(), "--since", "yesterday");
        assertThat(since.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(since.err()).contains("neither a duration (30s, 15m, 2h, 7d) nor an ISO instant");
        CliRun vrf = run("sessions", "--data-dir", tmp.toString(), "--vrf", "4294967296");
        assertThat(vrf.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(vrf.err()).contains("use 0 to 4294967295");
        CliRun listen = run("collect", "--listen", "localhost:4739", "--no-store", "--duration", "1");
        assertThat(listen.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(listen.err()).contains("is not an IP address literal");
    }
}
