package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two servers, each a JVM of its own on loopback, share one PostgreSQL schema and deploy to
 * nftables in network namespaces this test creates. Each round, a change control is asked for on
 * the follower; the leader applies its first device and holds (its deploy step delay, held after
 * the apply and before the result is recorded); the test sees the new ruleset in the kernel and
 * kills the leader with SIGKILL. The other server must take over, read the devices back and finish
 * the change control; then every device runs the newest approved version's config exactly (the
 * kernel's own listing, as the drift check compares it), and the audit log shows every change
 * control taken over once and succeeded once. The killed server is started again as a follower.
 *
 * <p>Rounds: {@code -Dseptum.ha.kills=N} (default 3; bench/failover runs 10). Each round's failover
 * time (SIGKILL to the other server answering {@code role: leader}) and the killed server's
 * restart time (new JVM to answering {@code /api/health}: what a lone server's outage lasts at
 * best) are written to {@code target/ha-failover.txt} for the benchmark; nothing here asserts on time.
 */
class HighAvailabilityTest {
    private static final long HOLD_MS = 600_000;
    private static final String INVENTORY_SECOND_SWITCH = """
              - name: andreasm-720xp-2
                platform: eos
                role: switch
                model: CCS-720XP-48ZC2
                loopback: 10.255.1.12
            """;

    @TempDir
    Path dir;

    @Test
    void theLeaderKilledMidChangeControlIsReplacedAndEveryDeviceRunsAWholeVersion() throws Exception {
        int kills = Integer.getInteger("septum.ha.kills", 3);
        try (TestDatabase db = TestDatabase.of("postgresql"); Namespaces netns = Namespaces.requireRoot()) {
            String url = db.jdbcUrl().orElseThrow();
            Map<String, String> namespaces = new HashMap<>();
            ServerProcess[] servers = new ServerProcess[2];
            try {
                servers[0] = ServerProcess.start(dir.resolve("a"), HOLD_MS, Optional.of(url));
                Http first = new Http(servers[0].port());
                await("server a leads", () -> role(first).equals("leader"));
                servers[1] = ServerProcess.start(dir.resolve("b"), HOLD_MS, Optional.of(url));
                assertThat(role(new Http(servers[1].port()))).isEqualTo("follower");

                String token = setUp(first.basic("admin", TestUsers.ADMIN_PASSWORD));
                String bobToken = token(first.basic("bob", TestUsers.BOB_PASSWORD));
                Http admin = first.bearer(token);
                for (String device : List.of("andreasm-720xp-home", "andreasm-720xp-2", "andreas-ztx1")) {
                    String ns = netns.create(device.substring(device.length() - 4));
                    namespaces.put(device, ns);
                    DeployTestSupport.bind(admin, device, ns);
                }

                List<Long> failoverMs = new ArrayList<>();
                List<Long> restartMs = new ArrayList<>();
                List<Long> changeControls = new ArrayList<>();
                for (int round = 1; round <= kills; round++) {
                    int leader = role(new Http(servers[0].port())).equals("leader") ? 0 : 1;
                    int follower = 1 - leader;
                    Http onFollower = new Http(servers[follower].port()).bearer(token);
                    Http bobOnFollower = new Http(servers[follower].port()).bearer(bobToken);
                    // a DNS/NTP server only this round adds: its address is in the kernel's listing once applied
                    String marker = "203.0.113." + round;
                    long cc = submitAndApprove(onFollower, bobOnFollower, "round-" + round, marker);
                    changeControls.add(cc);
                    Http.Response run = bobOnFollower.post("/api/change-controls/" + cc + "/run", "");
                    assertThat(run.status()).as(run.body()).isEqualTo(202);
                    String canary = onFollower.get("/api/change-controls/" + cc).json().path("devices").get(0).path("device").asString();
                    await("the leader applied round " + round + " to its canary",
                            () -> netns.nft(namespaces.get(canary), "list", "table", "inet", "septum").contains(marker));
                    assertThat(onFollower.get("/api/change-controls/" + cc).json().path("state").asString()).isEqualTo("running");
                    long killedAt = System.nanoTime();
                    servers[leader].kill();
                    Http survivor = new Http(servers[follower].port());
                    await("the other server leads", () -> role(survivor).equals("leader"));
                    failoverMs.add(Duration.ofNanos(System.nanoTime() - killedAt).toMillis());

                    await("change control " + cc + " ends", () -> !onFollower.get("/api/change-controls/" + cc).json()
                            .path("state").asString().equals("running"));
                    JsonNode done = onFollower.get("/api/change-controls/" + cc).json();
                    assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("succeeded");
                    assertThat(done.path("devices").get(0).path("message").asString()).as(done.toString())
                            .contains("already runs the approved config");
                    for (String device : namespaces.keySet()) {
                        JsonNode drift = onFollower.get("/api/devices/" + device + "/drift").json();
                        assertThat(drift.path("inSync").asBoolean()).as(device + " runs version of round " + round + ": " + drift)
                                .isTrue();
                    }
                    long restarting = System.nanoTime();
                    servers[leader] = ServerProcess.start(dir.resolve(leader == 0 ? "a" : "b"), HOLD_MS, Optional.of(url));
                    assertThat(role(new Http(servers[leader].port()))).isEqualTo("follower");
                    restartMs.add(Duration.ofNanos(System.nanoTime() - restarting).toMillis());
                }

                JsonNode audit = new Http(servers[0].port()).bearer(token).get("/api/audit?limit=10000").json().path("entries");
                for (long cc : changeControls) {
                    assertThat(count(audit, "change-control " + cc, "change-control.succeeded")).as("cc " + cc + " succeeded once").isEqualTo(1);
                    assertThat(count(audit, "change-control " + cc, "change-control.taken-over")).as("cc " + cc + " taken over once").isEqualTo(1);
                    assertThat(count(audit, "change-control " + cc, "change-control.failed")).isZero();
                }
                assertThat(count(audit, null, "cluster.leader")).isEqualTo(kills + 1);
                StringBuilder times = new StringBuilder("# failover_ms restart_ms\n");
                for (int i = 0; i < kills; i++) {
                    times.append(failoverMs.get(i)).append(' ').append(restartMs.get(i)).append('\n');
                }
                Files.writeString(Path.of("target", "ha-failover.txt"), times);
            } finally {
                for (ServerProcess s : servers) {
                    if (s != null) {
                        s.close();
                    }
                }
            }
        }
    }

    /** Makes bob (approver), a token for admin, and the seed lab with a second enforcing switch as version 1. */
    private static String setUp(Http admin) {
        assertThat(admin.post("/api/users", "{\"name\": \"bob\", \"role\": \"approver\", \"password\": \"" + TestUsers.BOB_PASSWORD
                + "\"}").status()).isEqualTo(201);
        Map<String, String> files = new java.util.TreeMap<>(SeedLab.files());
        files.put("inventory.yaml", files.get("inventory.yaml")
                .replace("devices: [andreasm-720xp-home]", "devices: [andreasm-720xp-home, andreasm-720xp-2]")
                .replace("\ndevices:\n", "\ndevices:\n" + INVENTORY_SECOND_SWITCH));
        Http.Response imported = admin.post("/api/versions", dev.septum.server.api.Json.write(Map.of("message", "seed lab, two switches",
                "files", files)));
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        return token(admin);
    }

    /** A workspace whose DNS/NTP group has {@code marker} as its third server, submitted and approved. */
    private static long submitAndApprove(Http admin, Http bob, String name, String marker) {
        long ws = admin.post("/api/workspaces", "{\"name\": \"" + name + "\"}").json().path("id").asLong();
        String objects = admin.get("/api/workspaces/" + ws + "/files/objects.yaml").body();
        assertThat(objects).contains("prefixes: [10.100.1.6, 10.100.1.7");
        Http.Response put = admin.put("/api/workspaces/" + ws + "/files/objects.yaml",
                objects.replaceFirst("prefixes: \\[10\\.100\\.1\\.6, 10\\.100\\.1\\.7[^\\]]*\\]",
                        "prefixes: [10.100.1.6, 10.100.1.7, " + marker + "]"), "application/yaml");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        Http.Response built = admin.post("/api/workspaces/" + ws + "/build", "");
        assertThat(built.status()).as(built.body()).isEqualTo(200);
        Http.Response cc = admin.post("/api/workspaces/" + ws + "/submit", "{}");
        assertThat(cc.status()).as(cc.body()).isEqualTo(201);
        long id = cc.json().path("id").asLong();
        Http.Response approved = bob.post("/api/change-controls/" + id + "/approve", "");
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        return id;
    }

    private static String token(Http basic) {
        Http.Response r = basic.post("/api/tokens", "{\"label\": \"ha\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("token").asString();
    }

    private static String role(Http server) {
        return server.get("/api/health").json().path("role").asString();
    }

    private static long count(JsonNode entries, String object, String action) {
        long n = 0;
        for (JsonNode e : entries) {
            if (e.path("action").asString().equals(action) && (object == null || e.path("object").asString().equals(object))) {
                n++;
            }
        }
        return n;
    }

    /** Waits for {@code condition}, reading it every 50 ms; fails after 60 s (a bound, not a measure). */
    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
