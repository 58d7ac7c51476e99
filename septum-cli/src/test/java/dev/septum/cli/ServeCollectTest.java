package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.export.IpfixExporter;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code septum serve --collect} as a user runs it, in a process of its own: IPFIX in over loopback,
 * the dropped sessions out over the API, and after SIGTERM in the store for {@code septum sessions}.
 */
class ServeCollectTest {
    private static final String PASSWORD = "serve-collect-admin-1";
    private static final Pattern HTTP = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern UDP = Pattern.compile("collecting flows on udp 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void servedCollectorTagsWithTheImportedVersionAndKeepsTheSessionsWhenStopped() throws Exception {
        ServeProcess serve = ServeProcess.start(Map.of("SEPTUM_ADMIN_PASSWORD", PASSWORD), "--data-dir", dataDir.toString(),
                "--port", "0", "--collect", "127.0.0.1:0", "--counter-interval", "0");
        try {
            int httpPort = Integer.parseInt(serve.awaitLine(HTTP).group(1));
            int udpPort = Integer.parseInt(serve.awaitLine(UDP).group(1));
            String base = "http://127.0.0.1:" + httpPort;
            HttpResponse<String> imported = send(HttpRequest.newBuilder(URI.create(base + "/api/versions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(importBody())));
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);

            try (IpfixExporter exporter = IpfixExporter.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort), 3)) {
                exporter.exported(live("172.18.6.20", 50000, "10.100.99.50", 4567));   // drop_all_else_web-app-reverse
                exporter.exported(live("10.100.99.51", 50001, "10.100.99.50", 4567));  // web-to-appserver1
                exporter.exported(live("10.100.99.50", 50003, "8.8.8.8", 443));        // drop_all_else_web-app
            }
            awaitJson(base + "/api/sessions?rule=drop_all_else_web-app", dropped -> dropped.path("count").asInt() == 2,
                    "the served collector showing 2 dropped sessions");
            HttpResponse<String> collector = send(HttpRequest.newBuilder(URI.create(base + "/api/collector")).GET());
            JsonNode counters = DiagnosticPrinter.JSON.readTree(collector.body()).path("counters");
            assertThat(counters.path("data_records").asLong()).isEqualTo(3);
            assertThat(counters.path("sessions_live").asLong()).isEqualTo(3);
        } finally {
            // SIGTERM: the shutdown hook stops the server, ending and storing every live session
            assertThat(serve.stop()).as("serve stops on SIGTERM").isTrue();
        }
        CliRun stored = CliRun.of("sessions", "--data-dir", dataDir.toString(), "--rule", "drop_all_else_web-app",
                "--raw", "--output", "csv");
        assertThat(stored.code()).as(stored.err()).isZero();
        assertThat(stored.out().lines().skip(1)).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains(",forced_end,").endsWith(",drop,1"));
    }

    /** {@code --collect-mirror}: scapy's GRE mirrors (the flows module's send_gre.py) to an address of this run's own; root for the raw socket. */
    @Test
    void servedMirrorIntakeMetersGreMirroredPacketsIntoTheStore() throws Exception {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        String monitor = "127." + rnd.nextInt(64, 250) + "." + rnd.nextInt(1, 250) + "." + rnd.nextInt(1, 250);
        ServeProcess serve = ServeProcess.start(Map.of("SEPTUM_ADMIN_PASSWORD", PASSWORD), "--data-dir", dataDir.toString(),
                "--port", "0", "--collect-mirror", monitor, "--counter-interval", "0");
        try {
            int httpPort = Integer.parseInt(serve.awaitLine(HTTP).group(1));
            serve.awaitLine(Pattern.compile("receiving GRE mirrors to " + Pattern.quote(monitor)));
            Process sent = new ProcessBuilder("/usr/bin/python3", "../septum-flows/src/test/resources/mirror/send_gre.py", monitor)
                    .redirectErrorStream(true).start();
            assertThat(sent.waitFor(60, TimeUnit.SECONDS)).as("send_gre.py finished").isTrue();
            assertThat(sent.exitValue()).as(new String(sent.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
            JsonNode counters = awaitJson("http://127.0.0.1:" + httpPort + "/api/collector",
                    c -> c.path("counters").path("mirrored_packets_metered").asLong() == 11, "the served mirror intake metering 11 packets")
                    .path("counters");
            assertThat(counters.path("non_ip_frames").asLong()).isEqualTo(1);
        } finally {
            assertThat(serve.stop()).as("serve stops on SIGTERM").isTrue();
        }
        CliRun stored = CliRun.of("sessions", "--data-dir", dataDir.toString(), "--raw", "--output", "csv");
        assertThat(stored.code()).as(stored.err()).isZero();
        assertThat(stored.out().lines().filter(l -> l.contains("10.1.0.5") && l.contains("40001") && l.contains("443")))
                .singleElement().satisfies(l -> assertThat(l).contains(",4,360,").contains(",3,1120,"));
    }

    @Test
    void collectAndCollectMirrorAreOneOrTheOther() {
        CliRun both = CliRun.of("serve", "--data-dir", dataDir.toString(), "--collect", "127.0.0.1:0", "--collect-mirror", "127.0.0.1");
        assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("--collect-mirror receives GRE instead of flow records");
    }

    @Test
    void aCollectAddressInUseOrNotALiteralStopsTheStartWithTheReason() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CliRun busy = CliRun.of("serve", "--data-dir", dataDir.toString(), "--port", "0",
                    "--collect", "127.0.0.1:" + taken.getLocalPort());
            assertThat(busy.code()).isEqualTo(ServeCommand.START_FAILED);
            assertThat(busy.err()).contains("cannot receive flows on udp 127.0.0.1:" + taken.getLocalPort())
                    .contains("is the port in use?");
            assertThat(dataDir.resolve("initial-admin-password")).as("no admin is created by a start that fails").doesNotExist();
        }
        CliRun name = CliRun.of("serve", "--data-dir", dataDir.toString(), "--port", "0", "--collect", "monitor:4739");
        assertThat(name.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(name.err()).contains("is not an IP address literal");
    }

    /** GETs {@code url} as admin until its JSON answer satisfies {@code until} (30 s at most); returns that answer. */
    private JsonNode awaitJson(String url, Predicate<JsonNode> until, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url)).GET());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode answer = DiagnosticPrinter.JSON.readTree(r.body());
            if (until.test(answer)) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 30 s: " + answer);
            }
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return http.send(request.header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String importBody() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (var list = Files.list(Path.of("..", "examples", "seed-lab"))) {
            for (Path p : list.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return DiagnosticPrinter.JSON.writeValueAsString(Map.of("message", "seed-lab", "files", files));
    }

    /** SYN and ACK both ways, no FIN: the session stays live until the collector stops. */
    private static SessionRow live(String client, int clientPort, String server, int serverPort) {
        long now = System.currentTimeMillis();
        return new SessionRow(0, 6, new Endpoint(IpAddr.parse(client), clientPort), new Endpoint(IpAddr.parse(server), serverPort),
                3, 180, 0x12, 2, 120, 0x12, SessionState.COMPLETE, now - 2000, now - 1000, DirectionEvidence.TCP_FLAGS, 1,
                EndReason.IDLE_TIMEOUT);
    }
}
