package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.septum.lab.Lab;
import dev.septum.lab.LabSpec;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16's "done when" in one lab of network namespaces this test creates (the seed lab, its
 * router enforcing through the server's change controls): real probes from the laptop are captured
 * in its namespace (dumpcap) and exported by softflowd as IPFIX to the server's collector. A staged
 * drop of the laptop's SSH to the web servers counts those sessions on the router and in the
 * staged report while the probes pass; its promotion is flagged in review with exactly those
 * sessions, stored with the change control, and then blocks exactly them. The rules that neither a
 * session nor the router's counters saw are proposed for removal with an empty break-set, and
 * the laptop's expired exception to appserver1 opens its removal workspace, whose break-set is the
 * session that used it.
 */
class LifecycleLabTest {
    private static final String STAGED = "no-ssh-to-web";
    private static final String EXCEPTION = "vendor-app";
    private static final String SSH_WEB01 = "laptop -> web01 ssh";
    private static final String SSH_WEB02 = "laptop -> web02 ssh";
    private static final List<String> OTHERS = List.of("laptop -> web01 http", "laptop -> appserver1 http/4567", "laptop -> dns dns");

    @TempDir
    Path dir;

    /** The seed with the staged drop before its SSH rule and the expired exception before its catch-all drop. */
    private static String policies(LocalDate today) {
        return SeedLab.files().get("policies.yaml")
                .replaceFirst("(?m)^      - name: ssh_to_web-app_servers\n", "      - name: " + STAGED + "\n"
                        + "        sources: [wifi_clients]\n        destinations: [web01_web02]\n        services: [SSH]\n"
                        + "        action: drop\n        mode: staged\n      - name: ssh_to_web-app_servers\n")
                .replaceFirst("(?m)^      - name: drop_all_else_web-app\n", "      - name: " + EXCEPTION + "\n"
                        + "        sources: [wifi_clients]\n        destinations: [appserver1]\n        services: [appserver1-tcp]\n"
                        + "        action: forward\n        expires: " + today.minusDays(2) + "\n        owner: ops@example.com\n"
                        + "        ticket: CHG-77\n      - name: drop_all_else_web-app\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void stagedPromotedBrokenStaleAndExpiredOnRealTraffic(String database) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for the lab's network namespaces (CI runs as root)");
        String prefix = "sxf-" + UUID.randomUUID().toString().substring(0, 4) + "-";
        Lab lab = Lab.open(SeedLab.DIR, prefix, line -> { });
        Map<String, LabSpec.Probe> probes = new TreeMap<>();
        lab.spec().probes().forEach(p -> probes.put(p.label(), p));
        List<LabSpec.Probe> laptop = List.of(probes.get(SSH_WEB01), probes.get(SSH_WEB02), probes.get(OTHERS.get(0)),
                probes.get(OTHERS.get(1)), probes.get(OTHERS.get(2)));
        try (Lab.Serving served = lab.serve(Optional.of("router-only"));
             ServerHarness h = RecommendStoryTest.withCollector(database, dir.resolve("data"))) {
            // the staged rule and the exception reach the router through a reviewed change control
            assertThat(h.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
            DeployTestSupport.bindNamespace(h, "andreasm-720xp-home", served.namespace("router"));
            JsonNode deployed = DeployTestSupport.change(h, "staged-and-exception", "policies.yaml", policies(LocalDate.now(ZoneOffset.UTC)));
            assertThat(deployed.path("state").asString()).as(deployed.toString()).isEqualTo("succeeded");
            long staged = deployed.path("version").asLong();

            // real traffic, captured where it starts and exported by softflowd to the server's collector
            Map<String, String> before = ExportedProbes.probe(served, "laptop", laptop, h, dir);
            assertThat(before).as("the staged rule blocks nothing").allSatisfy((probe, seen) -> assertThat(seen).as(probe).isEqualTo("allowed"));
            ExportedProbes.awaitSessions(h, laptop.size());
            assertThat(h.admin.post("/api/counters/poll", "").json().path("polled").path("andreasm-720xp-home").asInt()).isPositive();

            // the staged report: both SSH sessions, what the router's staged counter counted, both would change verdict
            JsonNode report = h.bob.get("/api/versions/" + staged + "/analyses/staged?since=1h").json();
            JsonNode row = report.path("tables").get(0).path("rows").get(0);
            assertThat(row.path("rule").asString()).as(report.toString()).isEqualTo(STAGED);
            assertThat(row.path("sessions").asLong()).isEqualTo(2);
            assertThat(row.path("changed").asLong()).isEqualTo(2);
            assertThat(row.path("counterPackets").asLong()).as("one first packet per connection meets the staged counter")
                    .isGreaterThanOrEqualTo(2);
            assertThat(row.path("countedBy").asString()).isEqualTo("andreasm-720xp-home");
            assertThat(row.path("examples").toString()).contains("10.100.99.51:22", "10.100.99.52:22");

            // promoting it: review names exactly the two SSH sessions, submit wants an acknowledgement, the approval keeps them
            long ws = h.admin.post("/api/workspaces", "{\"name\": \"promote\"}").json().path("id").asLong();
            String w = "/api/workspaces/" + ws;
            String promoted = policies(LocalDate.now(ZoneOffset.UTC)).replace("        mode: staged\n", "");
            assertThat(h.admin.put(w + "/files/policies.yaml", promoted, "application/yaml").status()).isEqualTo(200);
            JsonNode breaks = h.admin.get(w + "/analyses/breakset?since=1h").json().path("tables").get(0).path("rows");
            assertThat(breaks.valueStream().map(r -> r.path("kind").asString() + " " + r.path("decidedAfter").asString() + " "
                    + r.path("sessions").asLong()).toList()).as(breaks.toString()).containsExactly("newly blocked " + STAGED + " 2");
            assertThat(h.admin.post(w + "/build", "").status()).isEqualTo(200);
            Http.Response refused = h.admin.post(w + "/submit", "{\"message\": \"enforce " + STAGED + "\"}");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            Http.Response submitted = h.admin.post(w + "/submit", "{\"message\": \"enforce " + STAGED + "\", \"acknowledgeBreaks\": true}");
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            long cc = submitted.json().path("id").asLong();
            JsonNode kept = h.bob.get("/api/change-controls/" + cc).json().path("breakset");
            assertThat(kept.path("tables").get(0).path("rows").get(0).path("sessions").asLong()).as(kept.toString()).isEqualTo(2);
            assertThat(kept.path("acknowledgedBy").asString()).isEqualTo("admin");
            assertThat(h.bob.get("/api/change-controls/" + cc + "/review").body()).contains("newly blocked", "10.100.99.51:22");
            assertThat(h.bob.post("/api/change-controls/" + cc + "/approve", "").status()).isEqualTo(200);
            JsonNode ran = h.bob.post("/api/change-controls/" + cc + "/run?wait=true", "").json();
            assertThat(ran.path("state").asString()).as(ran.toString()).isEqualTo("succeeded");

            // it blocks exactly those: the SSH probes flip, the rest still pass
            Map<String, String> after = served.probe(laptop);
            assertThat(after.get(SSH_WEB01)).isEqualTo("dropped");
            assertThat(after.get(SSH_WEB02)).isEqualTo("dropped");
            OTHERS.forEach(p -> assertThat(after.get(p)).as(p).isEqualTo("allowed"));

            // unused rules (no session, no counter growth in the window) are removed with an empty break-set
            long version = ran.path("version").asLong();
            JsonNode stale = h.bob.get("/api/versions/" + version + "/analyses/stale?since=1h").json();
            Map<String, JsonNode> rules = new TreeMap<>();
            stale.path("tables").get(0).path("rows").valueStream().forEach(r -> rules.put(r.path("rule").asString(), r));
            assertThat(rules.get("allow_all_NTP").path("state").asString()).as(stale.toString()).isEqualTo("stale");
            assertThat(rules.get("allow_all_NTP").path("counterPackets").asLong()).isZero();
            assertThat(rules.get("ssh_to_web-app_servers").path("counterPackets").asLong())
                    .as("the router counted the SSH connections before the promotion").isPositive();
            assertThat(rules.get("ssh_to_web-app_servers").path("state").asString()).isEqualTo("used");
            long cleanup = h.admin.post("/api/workspaces", "{\"name\": \"cleanup\"}").json().path("id").asLong();
            JsonNode removal = h.admin.post("/api/workspaces/" + cleanup + "/remove-stale?since=1h", "").json();
            assertThat(removal.path("removed").valueStream().map(JsonNode::asString).toList()).as(removal.toString())
                    .contains("vrf_all_home/allow_all_NTP").doesNotContain("vrf_all_home/ssh_to_web-app_servers", "vrf_all_home/" + EXCEPTION);
            assertThat(removal.path("breakset").path("tables").get(0).path("rows").size()).isZero();

            // the expired exception opens its removal workspace, whose break-set is the session that used it
            JsonNode expired = h.bob.post("/api/rules/expired/workspace", "").json();
            assertThat(expired.path("removed").valueStream().map(JsonNode::asString).toList()).as(expired.toString())
                    .containsExactly("vrf_all_home/" + EXCEPTION);
            JsonNode expiredBreaks = expired.path("breakset").path("tables").get(0).path("rows");
            assertThat(expiredBreaks.size()).isEqualTo(1);
            assertThat(expiredBreaks.get(0).path("kind").asString()).isEqualTo("newly blocked");
            assertThat(expiredBreaks.get(0).path("examples").toString()).contains("10.100.99.50:4567");
        }
    }
}
