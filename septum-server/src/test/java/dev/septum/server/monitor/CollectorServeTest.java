package dev.septum.server.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.builder.tag.PolicySessionTagger;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
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
import dev.septum.flows.store.StoredSession;
import dev.septum.flows.store.TagFilter;
import dev.septum.server.Http;
import dev.septum.server.ServerConfig;
import dev.septum.server.ServerHarness;
import dev.septum.server.TestDatabase;
import dev.septum.server.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code septum serve} with the collector on: real IPFIX from the repository's exporter over loopback
 * into the served server, sessions tagged with the newest policy version and queried over the API.
 */
public class CollectorServeTest {
    /** Sessions of the seed's lab; the comment says which match of the 720XP decides each. */
    public static final List<SessionRow> TRAFFIC = List.of(
            tcp("172.18.6.20", 50000, "10.100.99.50", 4567),   // wifi client to appserver1: drop_all_else_web-app-reverse
            tcp("10.100.99.51", 50001, "10.100.99.50", 4567),  // web01 to appserver1: web-to-appserver1
            tcp("172.18.6.20", 50002, "10.100.99.51", 80),     // wifi client to web01 HTTP: clients_to_webservers
            tcp("10.100.99.50", 50003, "8.8.8.8", 443),        // appserver1 to the internet: drop_all_else_web-app
            udp("172.18.6.21", 50004, "10.100.1.6", 53),       // DNS: allow_all_DNS
            tcp("10.100.99.51", 50005, "10.100.99.52", 80),    // web01 to web02 HTTP: drop_http_between_webservers
            tcp("172.18.6.20", 50006, "10.100.99.52", 22),     // wifi client SSH to web02: ssh_to_web-app_servers
            tcp("172.18.6.22", 50007, "10.100.5.10", 22),      // outside web-app: no match, ipv4-all-default
            tcp("10.100.5.10", 50008, "10.100.99.50", 22));    // management host SSH to appserver1: drop_all_else_web-app-reverse
    static final Set<String> DROPPED_BY_DROP_ALL_ELSE = Set.of("172.18.6.20:50000", "10.100.99.50:50003", "10.100.5.10:50008");

    @TempDir
    Path dataDir;
    ServerHarness h;

    @BeforeEach
    void start() {
        // long timeouts: the sessions stay live until the server stops, so nothing here races the clock
        CollectorSettings collect = CollectorSettings.on(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withFlushMs(200).withTimeouts(new SessionTimeouts(600_000, 600_000, 3_600_000, 600_000));
        h = new ServerHarness(TestDatabase.of("sqlite"), dataDir, ServerConfig.local(dataDir).withCollector(collect));
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    static SessionRow tcp(String client, int clientPort, String server, int serverPort) {
        return row(6, client, clientPort, server, serverPort);
    }

    public static SessionRow udp(String client, int clientPort, String server, int serverPort) {
        return row(17, client, clientPort, server, serverPort);
    }

    static SessionRow row(int protocol, String client, int clientPort, String server, int serverPort) {
        int flags = protocol == 6 ? 0x12 : 0; // SYN, ACK: no FIN, so the session stays live
        return seenNow(new SessionRow(0, protocol, new Endpoint(IpAddr.parse(client), clientPort), new Endpoint(IpAddr.parse(server), serverPort),
                3, 180, flags, 2, 120, flags, SessionState.COMPLETE, 0, 0, DirectionEvidence.TCP_FLAGS, 1, EndReason.IDLE_TIMEOUT));
    }

    static String importBody(String example) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(Path.of("..", "examples", example))) {
            for (Path p : list.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the later imports change what stored sessions are decided by, on purpose: acknowledged
        return Json.write(Map.of("message", example, "files", files, "acknowledgeBreaks", true));
    }

    /** Imports an example; an import after the first is a change control, approved here by bob so that it tags sessions. */
    long importVersion(String example) {
        Http.Response r = h.admin.post("/api/versions", importBody(example));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        if (r.json().has("changeControl")) {
            Http.Response approved = h.bob.post("/api/change-controls/" + r.json().path("changeControl").path("id").asLong() + "/approve", "");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        }
        return r.json().path("version").path("id").asLong();
    }

    InetSocketAddress collectorAddress() {
        return h.server.collector().orElseThrow().localAddress();
    }

    void send(List<SessionRow> rows) throws IOException {
        try (IpfixExporter exporter = IpfixExporter.open(collectorAddress(), 7)) {
            rows.stream().map(CollectorServeTest::seenNow).forEach(exporter::exported);
        }
    }

    /**
     * The row first seen two minutes and last seen one minute before now: {@link #TRAFFIC} is built
     * once per JVM, and a test class that runs earlier in the same fork may build it minutes before
     * this class sends it.
     */
    static SessionRow seenNow(SessionRow r) {
        long now = System.currentTimeMillis();
        return new SessionRow(r.vrf(), r.protocol(), r.client(), r.server(), r.clientPackets(), r.clientOctets(), r.clientTcpFlags(),
                r.serverPackets(), r.serverOctets(), r.serverTcpFlags(), r.state(), now - 120_000, now - 60_000, r.evidence(),
                r.records(), r.reason());
    }

    JsonNode get(String path) {
        Http.Response r = h.admin.get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.json();
    }

    /** Polls a GET until its body satisfies the condition (bounded: 20 s, then the test fails with the last body). */
    JsonNode await(String path, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode last = get(path);
        while (!condition.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting on " + path + ", last answer: " + last);
            }
            Thread.sleep(50);
            last = get(path);
        }
        return last;
    }

    static Set<String> clients(JsonNode answer) {
        return StreamSupport.stream(answer.path("sessions").spliterator(), false)
                .map(s -> s.path("client").asString() + ":" + s.path("clientPort").asInt()).collect(Collectors.toSet());
    }

    static boolean allTaggedWith(JsonNode answer, long version, int count) {
        return answer.path("count").asInt() == count && StreamSupport.stream(answer.path("sessions").spliterator(), false)
                .allMatch(s -> s.path("tags").path("policyVersion").asString().equals(Long.toString(version)));
    }

    @Test
    void theSessionsThePolicyDropsAreOneQueryAndFollowTheNewestVersion() throws Exception {
        long dnsOnly = importVersion("seed-lab-dns-ntp");
        send(TRAFFIC);
        JsonNode v1 = await("/api/sessions", a -> allTaggedWith(a, dnsOnly, TRAFFIC.size()));
        assertThat(clients(get("/api/sessions?rule=drop_all_else_web-app"))).isEmpty();
        assertThat(v1.path("sessions").findValuesAsString("match")).contains("ipv4-all-default");

        // a new version re-tags the live sessions on the next flush
        long seed = importVersion("seed-lab");
        await("/api/sessions", a -> allTaggedWith(a, seed, TRAFFIC.size()));
        JsonNode dropped = get("/api/sessions?rule=drop_all_else_web-app");
        assertThat(clients(dropped)).isEqualTo(DROPPED_BY_DROP_ALL_ELSE);
        for (JsonNode s : dropped.path("sessions")) {
            assertThat(s.path("tags").path("rule").asString()).isEqualTo("drop_all_else_web-app");
            assertThat(s.path("tags").path("policy").asString()).isEqualTo("vrf_all_home");
            assertThat(s.path("tags").path("verdict").asString()).isEqualTo("drop");
            assertThat(s.path("status").asString()).isEqualTo("live");
        }
        JsonNode mgmt = StreamSupport.stream(dropped.path("sessions").spliterator(), false)
                .filter(s -> s.path("client").asString().equals("10.100.5.10")).findFirst().orElseThrow();
        assertThat(mgmt.path("tags").path("match").asString()).isEqualTo("drop_all_else_web-app-reverse");
        assertThat(mgmt.path("tags").path("serverGroups").toString()).contains("appserver1", "web-appserver1");
        assertThat(mgmt.path("tags").path("services").toString()).contains("SSH");

        // the match name selects its own direction only
        assertThat(clients(get("/api/sessions?rule=drop_all_else_web-app-reverse")))
                .containsExactlyInAnyOrder("172.18.6.20:50000", "10.100.5.10:50008");
        // group (either side), service (by name or protocol/port), time range, limit
        assertThat(clients(get("/api/sessions?group=appserver1")))
                .containsExactlyInAnyOrder("172.18.6.20:50000", "10.100.99.51:50001", "10.100.99.50:50003", "10.100.5.10:50008");
        assertThat(clients(get("/api/sessions?service=SSH")))
                .containsExactlyInAnyOrder("172.18.6.20:50006", "172.18.6.22:50007", "10.100.5.10:50008");
        assertThat(clients(get("/api/sessions?service=udp/53"))).containsExactly("172.18.6.21:50004");
        assertThat(clients(get("/api/sessions?rule=drop_all_else_web-app&group=wifi_clients"))).containsExactly("172.18.6.20:50000");
        assertThat(get("/api/sessions?since=10m").path("count").asInt()).isEqualTo(TRAFFIC.size());
        assertThat(get("/api/sessions?since=20s").path("count").asInt()).as("last seen a minute ago").isZero();
        assertThat(get("/api/sessions?until=5m").path("count").asInt()).as("first seen two minutes ago").isZero();
        assertThat(get("/api/sessions?version=" + dnsOnly).path("count").asInt()).isZero();
        JsonNode two = get("/api/sessions?limit=2");
        assertThat(two.path("count").asInt()).isEqualTo(2);
        assertThat(two.path("truncated").asBoolean()).isTrue();

        JsonNode collector = get("/api/collector");
        assertThat(collector.path("running").asBoolean()).isTrue();
        assertThat(collector.path("policyVersion").asLong()).isEqualTo(seed);
        assertThat(collector.path("device").asString()).isEqualTo("andreasm-720xp-home");
        JsonNode counters = collector.path("counters");
        assertThat(counters.path("data_records").asLong()).isEqualTo(TRAFFIC.size());
        assertThat(counters.path("sessions_live").asLong()).isEqualTo(TRAFFIC.size());
        for (String name : List.of("sequence_gap_records", "unknown_template_drops", "kernel_drops", "malformed")) {
            assertThat(counters.path(name).isNumber()).as(name).isTrue();
            assertThat(counters.path(name).asLong()).as(name).isZero();
        }

        // stopping the server ends every live session and stores it with the tags of the newest version
        h.close();
        h = null;
        FlowStore store = new FlowStore(dataDir);
        List<StoredSession> stored = store.queryTagged(SessionQuery.ALL.withTags(
                new TagFilter(Optional.empty(), Optional.of("drop_all_else_web-app"), Optional.empty(), Optional.empty())));
        assertThat(stored).extracting(s -> s.row().client().toString()).containsExactlyInAnyOrderElementsOf(DROPPED_BY_DROP_ALL_ELSE);
        assertThat(stored).allSatisfy(s -> {
            assertThat(s.row().reason()).isEqualTo(EndReason.FORCED_END);
            assertThat(s.tags().policyVersion()).isEqualTo(Long.toString(seed));
        });
    }

    @Test
    void badDatagramsAreCountedAndTheCollectorKeepsGoing() throws Exception {
        importVersion("seed-lab");
        try (DatagramChannel garbage = DatagramChannel.open()) {
            garbage.connect(collectorAddress());
            // an IPFIX header claiming 200 bytes in a 20-byte datagram, then bytes that are no protocol at all
            ByteBuffer lying = ByteBuffer.allocate(20).putShort((short) 10).putShort((short) 200);
            garbage.write(lying.rewind());
            garbage.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        JsonNode counters = await("/api/collector", a -> a.path("counters").path("datagrams").asLong() >= 2).path("counters");
        assertThat(counters.path("malformed").asLong() + counters.path("unsupported_version").asLong()).isEqualTo(2);
        assertThat(counters.path("malformed").asLong()).isPositive();

        send(TRAFFIC.subList(0, 1));
        JsonNode after = await("/api/sessions", a -> a.path("count").asInt() == 1);
        assertThat(after.path("sessions").get(0).path("tags").path("rule").asString()).isEqualTo("drop_all_else_web-app");
        assertThat(get("/api/collector").path("receiveFailure").asString()).isEmpty();
        assertThat(h.anonymous.get("/api/health").status()).isEqualTo(200);
    }

    @Test
    void badQueryParametersNameTheParameterAndTheFix() {
        assertRefused("/api/sessions?limit=0", "limit", "1-100000");
        assertRefused("/api/sessions?limit=many", "limit", "1-100000");
        assertRefused("/api/sessions?since=yesterday", "since", "duration");
        assertRefused("/api/sessions?proto=tcpp", "proto", "tcp, udp");
        assertRefused("/api/sessions?port=70000", "port", "port=22");
        assertRefused("/api/sessions?service=tcp/70000", "service", "tcp/22");
        assertRefused("/api/sessions?address=appserver1", "address", "address literal");
        assertRefused("/api/sessions?vrf=4294967296", "vrf", "0-4294967295");
        assertRefused("/api/sessions?service=tcp/22&port=22", "service", "either");
        JsonNode typo = assertRefused("/api/sessions?rul=drop_all_else_web-app", "rul", "did you mean 'rule'");
        assertThat(typo.path("error").path("problem").asString()).contains("is not a parameter");
        // and the document lists the parameters the route reads
        JsonNode documented = h.anonymous.get("/openapi.json").json().path("paths").path("/api/sessions").path("get").path("parameters");
        assertThat(documented.findValuesAsString("name")).containsExactly("since", "until", "group", "rule", "service", "version",
                "proto", "port", "address", "vrf", "limit");
    }

    @Test
    void viewersMayReadSessionsAndCountersAnonymousCallersMayNot() {
        assertThat(h.admin.post("/api/users", "{\"name\": \"vic\", \"role\": \"viewer\", \"password\": \"viewer-password-1\"}").status())
                .isEqualTo(201);
        Http viewer = h.anonymous.basic("vic", "viewer-password-1");
        assertThat(viewer.get("/api/sessions").status()).isEqualTo(200);
        assertThat(viewer.get("/api/collector").status()).isEqualTo(200);
        assertThat(h.anonymous.get("/api/sessions").status()).isEqualTo(401);
        assertThat(h.anonymous.get("/api/collector").status()).isEqualTo(401);
    }

    @Test
    void withoutCollectTheServerSaysHowToStartOneAndStillReadsTheStore(@TempDir Path otherDir) throws Exception {
        // a store written by a separate 'septum collect' in the server's data directory, tagged there
        FlowStore collected = new FlowStore(otherDir,
                () -> PolicySessionTagger.of(PolicyBuild.of(PolicySource.directory(Path.of("..", "examples", "seed-lab"))), Optional.empty(), "seed-lab@abc").orElseThrow());
        collected.initialise();
        collected.write(TRAFFIC, List.of(), System.currentTimeMillis(), 0);
        try (ServerHarness off = new ServerHarness(TestDatabase.of("sqlite"), otherDir, ServerConfig.local(otherDir))) {
            JsonNode collector = off.admin.get("/api/collector").json();
            assertThat(collector.path("running").asBoolean()).isFalse();
            assertThat(collector.path("hint").asString()).contains("--collect");
            assertThat(off.server.collector()).isEmpty();
            JsonNode dropped = off.admin.get("/api/sessions?rule=drop_all_else_web-app").json();
            assertThat(clients(dropped)).isEqualTo(DROPPED_BY_DROP_ALL_ELSE);
            assertThat(dropped.path("sessions").findValuesAsString("policyVersion")).containsOnly("seed-lab@abc");
        }
    }

    private JsonNode assertRefused(String path, String field, String fix) {
        Http.Response r = h.admin.get(path);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode body = r.json();
        assertThat(body.path("error").path("field").asString()).as(r.body()).isEqualTo(field);
        assertThat(body.path("error").path("fix").asString()).as(r.body()).contains(fix);
        assertThat(r.body()).doesNotContain("Exception", "\tat ");
        return body;
    }
}
