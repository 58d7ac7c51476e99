package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.builder.recommend.RecommendRequest;
import dev.septum.builder.recommend.RecommendationView;
import dev.septum.builder.recommend.Recommender;
import dev.septum.deploy.Commands;
import dev.septum.flows.IpAddr;
import dev.septum.flows.export.IpfixExporter;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.session.SessionTimeouts;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.SessionQuery;
import dev.septum.lab.Lab;
import dev.septum.server.api.Json;
import dev.septum.server.monitor.CollectorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The Policy Builder's story over HTTP (issue 12's done-when): the wifi clients' DNS and NTP,
 * collected under the seed's monitor rule (IPFIX from the repository's exporter into the server's
 * collector on loopback), recommended with the two categories as two rules, submitted as a
 * workspace whose build shows the config lines added, approved by a second user, deployed by the
 * change control to the seed lab's router (nftables in a network namespace this test creates);
 * then real DNS and NTP datagrams from the laptop are answered by the DNS server, and the router's
 * counters show the proposed rules decided them.
 */
public class RecommendStoryTest {
    static final Path SEED = Path.of("..", "examples", "seed-lab-dns-ntp");
    private static final Duration PROBE = Duration.ofSeconds(10);
    public static final String DNS_RULE = "wifi_clients-to-DNS_NTP_servers-DNS";
    public static final String NTP_RULE = "wifi_clients-to-DNS_NTP_servers-NTP";

    @TempDir
    Path dataDir;

    /** The seed's collecting stage: its inventory and objects, and the monitor rule as the only policy. */
    public static Map<String, String> monitorStage() {
        Map<String, String> files = new TreeMap<>();
        try {
            files.put("inventory.yaml", Files.readString(SEED.resolve("inventory.yaml")));
            files.put("objects.yaml", Files.readString(SEED.resolve("objects.yaml")));
            files.put("policies.yaml", Files.readString(SEED.resolve("monitor-stage").resolve("policies.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Wifi clients asking both servers for names and time, and a SYN scan answered by resets (outside the monitor rule). */
    public static List<SessionRow> traffic() {
        long now = System.currentTimeMillis();
        List<SessionRow> rows = new ArrayList<>();
        int port = 50000;
        for (String client : List.of("172.18.6.138", "172.18.6.21", "172.18.6.22", "172.18.6.23")) {
            for (String server : List.of("10.100.1.6", "10.100.1.7")) {
                for (int service : new int[] {53, 123}) {
                    rows.add(row(17, client, port++, server, service, 0, 0, now));
                }
            }
        }
        for (int target = 20; target < 32; target++) {
            rows.add(row(6, "172.18.6.66", 40000, "10.100.1.6", target, 0x02, 0x14, now));
        }
        return rows;
    }

    static SessionRow row(int protocol, String client, int clientPort, String server, int serverPort, int clientFlags, int serverFlags,
                          long now) {
        return new SessionRow(0, protocol, new Endpoint(IpAddr.parse(client), clientPort), new Endpoint(IpAddr.parse(server), serverPort),
                1, 70, clientFlags, 1, 130, serverFlags, SessionState.COMPLETE, now - 120_000, now - 60_000, DirectionEvidence.PORTS, 1,
                EndReason.IDLE_TIMEOUT);
    }

    public static ServerHarness withCollector(String database, Path dataDir) {
        return withCollector(TestDatabase.of(database), dataDir);
    }

    static ServerHarness withCollector(TestDatabase database, Path dataDir) {
        // long timeouts: the sessions stay live until the server stops, so nothing here races the clock
        CollectorSettings collect = CollectorSettings.on(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withFlushMs(200).withTimeouts(new SessionTimeouts(600_000, 600_000, 3_600_000, 600_000));
        return new ServerHarness(database, dataDir, ServerConfig.local(dataDir).withCollector(collect));
    }

    public static void collect(ServerHarness h, List<SessionRow> rows) throws Exception {
        try (IpfixExporter exporter = IpfixExporter.open(h.server.collector().orElseThrow().localAddress(), 7)) {
            rows.forEach(exporter::exported);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Predicate<JsonNode> stored = a -> a.path("count").asInt() == rows.size();
        JsonNode last = h.admin.get("/api/sessions").json();
        while (!stored.test(last)) {
            assertThat(System.nanoTime()).as("sessions stored within 20 s, last answer: " + last).isLessThan(deadline);
            Thread.sleep(50);
            last = h.admin.get("/api/sessions").json();
        }
    }

    /** Starts a run (202 and a Location) and polls it until it is done or failed: its last answer. */
    public static JsonNode recommend(Http http, String body) throws InterruptedException {
        Http.Response started = http.post("/api/recommendations", body);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        assertThat(started.headers().get("location")).containsExactly("/api/recommendations/" + id);
        assertThat(started.json().path("status").asString()).isIn("queued", "running", "done", "failed");
        return await(http, id);
    }

    /** Polls the run until it is done or failed, at most 60 s. */
    public static JsonNode await(Http http, long id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = http.get("/api/recommendations/" + id).json();
        while (!Set.of("done", "failed").contains(last.path("status").asString())) {
            assertThat(System.nanoTime()).as("run " + id + " finished within 60 s, last answer: " + last).isLessThan(deadline);
            Thread.sleep(50);
            last = http.get("/api/recommendations/" + id).json();
        }
        return last;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void monitoredSessionsBecomeTwoRulesThatAreReviewedApprovedDeployedAndProbed(String database) throws Exception {
        Namespaces.requireRootUser();
        String prefix = "sxr-" + UUID.randomUUID().toString().substring(0, 4) + "-";
        Lab lab = Lab.open(SeedLab.DIR, prefix, line -> { });
        lab.up(Optional.of("router-only"));
        List<Process> servers = new ArrayList<>();
        try (ServerHarness h = withCollector(database, dataDir)) {
            Http.Response imported = h.admin.post("/api/versions", Json.write(Map.of("message", "DNS/NTP monitor stage", "files", monitorStage())));
            assertThat(imported.status()).as(imported.body()).isEqualTo(201);
            long version = imported.json().path("version").path("id").asLong();
            DeployTestSupport.bindNamespace(h, "andreasm-720xp-home", prefix + "router");
            collect(h, traffic());

            // recommend with the two categories: the seed's two rules, before the monitor rule
            JsonNode answer = recommend(h.admin, "{\"monitor\": \"andreas-vztx\", \"categories\": [\"zone\", \"role\"], "
                    + "\"into\": \"dns_ntp_services\"}");
            assertThat(answer.path("status").asString()).as(answer.toString()).isEqualTo("done");
            assertThat(answer.path("version").asLong()).isEqualTo(version);
            assertThat(answer.path("rules").findValuesAsString("name")).containsExactlyInAnyOrder(DNS_RULE, NTP_RULE);
            assertThat(answer.path("guarantees").path("hold").asBoolean()).as(answer.path("guarantees").toString()).isTrue();
            assertThat(answer.path("totals").path("evidence").asLong()).isEqualTo(16);
            assertThat(answer.path("totals").path("outsideSelection").asLong()).isEqualTo(12);
            assertThat(answer.path("placement").path("before").asString()).isEqualTo("monitor-dns-ntp");

            // the same answer as septum recommend -o json on the same store and files
            RecommendRequest same = new RecommendRequest(List.of("zone", "role"), List.of(), 0, RecommendRequest.DEFAULT_MIN_PRECISION,
                    RecommendRequest.DEFAULT_PORT_SLACK, new RecommendRequest.Selection.ByMonitor("andreas-vztx"),
                    new RecommendRequest.Placement.Into("dns_ntp_services"), Optional.empty());
            Map<String, String> stored = new TreeMap<>();
            h.admin.get("/api/versions/" + version + "/files").json().path("files").properties()
                    .forEach(e -> stored.put(e.getKey(), e.getValue().asString()));
            JsonNode direct = Json.read(Json.write(RecommendationView.of(Recommender.recommend(stored, "cli",
                    new FlowStore(dataDir).query(SessionQuery.ALL), same))));
            assertThat(answer.path("rules")).isEqualTo(direct.path("rules"));
            assertThat(answer.path("totals")).isEqualTo(direct.path("totals"));

            // the per-flow view: which sessions each rule rests on
            long id = answer.path("id").asLong();
            JsonNode flows = h.bob.get("/api/recommendations/" + id + "/flows").json().path("flows");
            assertThat(flows.findValuesAsString("rule")).contains(DNS_RULE, NTP_RULE);
            assertThat(flows.get(0).path("clients").size()).isEqualTo(4);

            // submit the rules: a workspace whose build adds the two matches to the switch's config
            Http.Response ws = h.admin.post("/api/recommendations/" + id + "/workspace", "{\"name\": \"dns-ntp-rules\"}");
            assertThat(ws.status()).as(ws.body()).isEqualTo(201);
            String w = "/api/workspaces/" + ws.json().path("id").asLong();
            JsonNode build = h.admin.post(w + "/build", "").json();
            assertThat(build.path("ok").asBoolean()).as(build.toString()).isTrue();
            String diff = h.admin.get(w + "/diff").body();
            assertThat(diff).contains("+      match " + DNS_RULE + " ipv4", "+      match " + NTP_RULE + " ipv4");
            long cc = h.admin.post(w + "/submit", "{\"message\": \"DNS and NTP from the Policy Builder\"}").json().path("id").asLong();
            // submitted through the break-set gate like any workspace: the monitor rule already forwarded these sessions
            JsonNode kept = h.bob.get("/api/change-controls/" + cc).json().path("breakset");
            assertThat(kept.path("kind").asString()).as(kept.toString()).isEqualTo("breakset");
            assertThat(kept.path("tables").get(0).path("rows").size()).isZero();
            assertThat(kept.path("acknowledgedBy").isNull()).isTrue();
            assertThat(h.admin.post("/api/change-controls/" + cc + "/approve", "").status()).as("four eyes").isEqualTo(403);
            assertThat(h.bob.post("/api/change-controls/" + cc + "/approve", "").status()).isEqualTo(200);
            JsonNode ran = h.bob.post("/api/change-controls/" + cc + "/run?wait=true", "").json();
            assertThat(ran.path("state").asString()).as(ran.toString()).isEqualTo("succeeded");

            // real probes: the laptop's DNS and NTP datagrams are answered through the router
            servers.add(udpEcho(prefix + "dns", 53));
            servers.add(udpEcho(prefix + "dns", 123));
            assertThat(udpProbe(prefix + "laptop", "10.100.1.7", 53)).as("laptop -> dns DNS").isTrue();
            assertThat(udpProbe(prefix + "laptop", "10.100.1.7", 123)).as("laptop -> dns NTP").isTrue();
            assertThat(h.admin.post("/api/counters/poll", "").json().path("polled").path("andreasm-720xp-home").asInt()).isPositive();
            JsonNode counters = h.admin.get("/api/devices/andreasm-720xp-home/counters").json().path("matches");
            assertThat(counters.path(DNS_RULE).path("samples").get(0).path("packets").asLong()).as(counters.toString()).isPositive();
            assertThat(counters.path(NTP_RULE).path("samples").get(0).path("packets").asLong()).as(counters.toString()).isPositive();
        } finally {
            servers.forEach(Process::destroyForcibly);
            lab.down();
        }
    }

    @Test
    void runsNeedAnEditorAndBadRequestsNameTheFieldAndTheFix() throws Exception {
        try (ServerHarness h = withCollector("sqlite", dataDir)) {
            assertThat(h.admin.post("/api/recommendations", "{}").status()).as("no version yet").isEqualTo(409);
            assertThat(h.admin.post("/api/versions", Json.write(Map.of("message", "stage", "files", monitorStage()))).status()).isEqualTo(201);
            JsonNode nothingYet = recommend(h.admin, "{}");
            assertThat(nothingYet.path("status").asString()).as(nothingYet.toString()).isEqualTo("done");
            assertThat(nothingYet.path("rules").size()).as("no sessions, no rules").isZero();
            collect(h, traffic());
            assertThat(h.admin.post("/api/users", "{\"name\": \"vera\", \"role\": \"viewer\", \"password\": \""
                    + TestUsers.BOB_PASSWORD + "\"}").status()).isEqualTo(201);
            Http vera = h.anonymous.bearer(h.anonymous.basic("vera", TestUsers.BOB_PASSWORD)
                    .post("/api/tokens", "{\"label\": \"t\"}").json().path("token").asString());
            assertThat(vera.post("/api/recommendations", "{}").status()).isEqualTo(403);

            // the policy refuses it while the run works: the run fails with the field and the fix
            JsonNode refused = recommend(h.admin, "{\"monitor\": \"nosuch\"}");
            assertThat(refused.path("status").asString()).isEqualTo("failed");
            assertThat(refused.has("rules")).isFalse();
            JsonNode unknown = refused.path("error");
            assertThat(unknown.path("status").asInt()).isEqualTo(400);
            assertThat(unknown.path("problem").asString()).contains("no monitor object 'nosuch'", "andreas-vztx");
            assertThat(unknown.path("field").asString()).isEqualTo("monitor");
            JsonNode typo = h.admin.post("/api/recommendations", "{\"categorys\": [\"zone\"]}").json().path("error");
            assertThat(typo.path("field").asString()).isEqualTo("categorys");
            assertThat(typo.path("fix").asString()).contains("did you mean 'categories'");
            JsonNode both = h.admin.post("/api/recommendations", "{\"rule\": \"x\", \"monitor\": \"y\"}").json().path("error");
            assertThat(both.path("field").asString()).isEqualTo("monitor");
            JsonNode budget = h.admin.post("/api/recommendations", "{\"budget\": -1}").json().path("error");
            assertThat(budget.path("field").asString()).isEqualTo("budget");
            JsonNode longName = h.admin.post("/api/recommendations", "{\"categories\": [\"" + "z".repeat(300) + "\"]}").json().path("error");
            assertThat(longName.path("problem").asString()).contains("at most 255");

            long id = recommend(h.admin, "{\"monitor\": \"andreas-vztx\", \"categories\": [\"zone\", \"role\"], "
                    + "\"into\": \"dns_ntp_services\"}").path("id").asLong();
            JsonNode newest = vera.get("/api/recommendations").json().path("recommendations").get(0);
            assertThat(newest.path("ruleCount").asInt()).isEqualTo(2);
            assertThat(newest.path("status").asString()).isEqualTo("done");
            assertThat(h.admin.post("/api/recommendations/" + refused.path("id").asLong() + "/workspace", "{\"name\": \"x\"}").status())
                    .as("a failed run has nothing to submit").isEqualTo(409);
            assertThat(vera.post("/api/recommendations/" + id + "/workspace", "{\"name\": \"x\"}").status()).isEqualTo(403);
            assertThat(h.admin.get("/api/recommendations/99").status()).isEqualTo(404);
            JsonNode notInRun = h.admin.post("/api/recommendations/" + id + "/workspace", "{\"name\": \"x\", \"rules\": [\"nosuch\"]}")
                    .json().path("error");
            assertThat(notInRun.path("field").asString()).isEqualTo("rules");
            assertThat(notInRun.path("problem").asString()).contains(DNS_RULE);

            // one rule, renamed: the workspace holds only it
            Http.Response one = h.admin.post("/api/recommendations/" + id + "/workspace", "{\"name\": \"dns-only\", \"rules\": [\""
                    + DNS_RULE + "\"], \"renames\": {\"" + DNS_RULE + "\": \"wifi-dns\"}}");
            assertThat(one.status()).as(one.body()).isEqualTo(201);
            String policies = h.admin.get("/api/workspaces/" + one.json().path("id").asLong() + "/files/policies.yaml").body();
            assertThat(policies).contains("name: wifi-dns").doesNotContain(NTP_RULE);
            assertThat(h.admin.get("/openapi.json").json().path("paths").has("/api/recommendations/{id}/workspace")).isTrue();

            // a run on a workspace adds the rules to it, only while nobody has edited it since
            long mine = h.admin.post("/api/workspaces", "{\"name\": \"mine\"}").json().path("id").asLong();
            JsonNode onWs = recommend(h.admin, "{\"workspace\": " + mine + ", \"monitor\": \"andreas-vztx\", "
                    + "\"categories\": [\"zone\", \"role\"], \"into\": \"dns_ntp_services\"}");
            assertThat(onWs.path("status").asString()).as(onWs.toString()).isEqualTo("done");
            long wsRun = onWs.path("id").asLong();
            assertThat(h.admin.post("/api/recommendations/" + wsRun + "/workspace", "{\"name\": \"x\"}").json().path("error")
                    .path("field").asString()).isEqualTo("name");
            Http.Response added = h.admin.post("/api/recommendations/" + wsRun + "/workspace", "{}");
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            assertThat(added.json().path("id").asLong()).isEqualTo(mine);
            assertThat(h.admin.get("/api/workspaces/" + mine + "/files/policies.yaml").body()).contains(DNS_RULE, NTP_RULE);
            assertThat(h.admin.post("/api/recommendations/" + wsRun + "/workspace", "{}").status()).as("edited since the run").isEqualTo(409);
        }
    }

    /**
     * A finished run is in the server's database: after a restart it is read by id with the same
     * answer and its rules still become a workspace. On SQLite and PostgreSQL.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aFinishedRunOutlivesARestart(String database) throws Exception {
        TestDatabase db = TestDatabase.of(database);
        try {
            ServerHarness h = withCollector(db, dataDir);
            JsonNode before;
            try {
                assertThat(h.admin.post("/api/versions", Json.write(Map.of("message", "stage", "files", monitorStage()))).status()).isEqualTo(201);
                collect(h, traffic());
                before = recommend(h.admin, "{\"monitor\": \"andreas-vztx\", \"categories\": [\"zone\", \"role\"], "
                        + "\"into\": \"dns_ntp_services\"}");
                assertThat(before.path("status").asString()).as(before.toString()).isEqualTo("done");
            } finally {
                h.server.close();
            }
            try (SeptumServer again = SeptumServer.start(db.config(dataDir))) {
                Http anonymous = new Http(again.port());
                Http admin = anonymous.bearer(anonymous.basic("admin", TestUsers.ADMIN_PASSWORD).post("/api/tokens", "{\"label\": \"t\"}")
                        .json().path("token").asString());
                long id = before.path("id").asLong();
                JsonNode after = admin.get("/api/recommendations/" + id).json();
                assertThat(after).as("the same answer after the restart").isEqualTo(before);
                assertThat(admin.get("/api/recommendations/" + id + "/flows").json().path("flows").findValuesAsString("rule"))
                        .contains(DNS_RULE, NTP_RULE);
                Http.Response ws = admin.post("/api/recommendations/" + id + "/workspace", "{\"name\": \"after-restart\", \"rules\": [\""
                        + NTP_RULE + "\"]}");
                assertThat(ws.status()).as(ws.body()).isEqualTo(201);
                assertThat(admin.get("/api/workspaces/" + ws.json().path("id").asLong() + "/files/policies.yaml").body())
                        .contains("name: " + NTP_RULE).doesNotContain(DNS_RULE);
            }
        } finally {
            db.close();
        }
    }

    /** A UDP echo server in a namespace (python3, as CI installs it); killed by the test. */
    private static Process udpEcho(String namespace, int port) throws IOException, InterruptedException {
        String code = "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0'," + port + "))\n"
                + "while True:\n d,a=s.recvfrom(1500)\n s.sendto(d,a)\n";
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "python3", "-c", code)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 50; i++) { // bounded wait until the port is bound
            if (Commands.run(PROBE, List.of("ip", "netns", "exec", namespace, "ss", "-lun", "sport", "= :" + port)).stdout()
                    .contains(":" + port)) {
                return p;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no UDP echo on port " + port + " in " + namespace);
    }

    /** Whether a datagram to the port is answered within 2 s: a dropped one is not. */
    private static boolean udpProbe(String namespace, String to, int port) {
        String code = "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.settimeout(2)\n"
                + "s.sendto(b'septum-probe',('" + to + "'," + port + "))\nprint(s.recvfrom(1500)[0].decode())\n";
        Commands.Result r = Commands.run(PROBE, List.of("ip", "netns", "exec", namespace, "python3", "-c", code));
        return r.ok() && r.stdout().contains("septum-probe");
    }
}
