package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.FlowStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The break-set in review and at submit, on both databases, with sessions in the server's own
 * DuckDB flow store written through the store's API: a workspace that removes the seed's SSH rule
 * shows the laptop's observed SSH session as newly blocked, its submit is refused until the
 * submitter acknowledges that, and the acknowledgement is in the audit log.
 */
class BreakSetApiTest {
    @TempDir
    Path dataDir;

    private static SessionRow tcp(String client, int clientPort, String server, int serverPort, long lastSeen) {
        return new SessionRow(0, 6, new Endpoint(IpAddr.parse(client), clientPort), new Endpoint(IpAddr.parse(server), serverPort),
                6, 500, 0, 5, 2000, 0, SessionState.COMPLETE, lastSeen - 3000, lastSeen, DirectionEvidence.PORTS, 2, EndReason.IDLE_TIMEOUT);
    }

    private void observed() throws Exception {
        long recent = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
        FlowStore store = new FlowStore(dataDir);
        store.initialise();
        store.write(List.of(
                tcp("172.18.6.138", 50300, "10.100.99.51", 22, recent),
                tcp("172.18.6.138", 50301, "10.100.99.52", 80, recent)), List.of(), recent, 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aChangeThatBreaksObservedSessionsIsShownAndNeedsAnAcknowledgement(String db) throws Exception {
        observed();
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            long version = h.admin.post("/api/versions", SeedLab.importBody()).json().path("version").path("id").asLong();
            long id = h.admin.post("/api/workspaces", "{\"name\": \"no-ssh\"}").json().path("id").asLong();
            String ws = "/api/workspaces/" + id;
            String policies = SeedLab.files().get("policies.yaml")
                    .replaceFirst("(?s)      - name: ssh_to_web-app_servers\n.*?action: forward\n", "");
            assertThat(h.admin.put(ws + "/files/policies.yaml", policies, "application/yaml").status()).isEqualTo(200);

            Http.Response review = h.admin.get(ws + "/analyses/breakset?since=1d");
            assertThat(review.status()).as(review.body()).isEqualTo(200);
            JsonNode rows = review.json().path("tables").get(0).path("rows");
            assertThat(review.json().path("kind").asString()).isEqualTo("breakset");
            assertThat(review.json().path("subject").path("before").asString()).isEqualTo("version " + version);
            assertThat(rows.valueStream().map(r -> r.path("kind").asString() + " " + r.path("clientGroups").get(0).asString() + " "
                    + r.path("service").asString() + " " + r.path("sessions").asLong()).toList()).contains("newly blocked wifi_clients SSH 1")
                    .noneMatch(r -> r.contains("HTTP"));
            assertThat(rows.get(0).path("examples").get(0).asString()).startsWith("172.18.6.138:50300 -> 10.100.99.51:22 tcp");
            Http.Response badWindow = h.admin.get(ws + "/analyses/breakset?since=yesterday");
            assertThat(badWindow.status()).isEqualTo(400);
            assertThat(badWindow.json().path("error").path("field").asString()).isEqualTo("since");

            assertThat(h.admin.post(ws + "/build", "").status()).isEqualTo(200);
            Http.Response refused = h.admin.post(ws + "/submit", "{\"message\": \"drop SSH\"}");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().path("error").path("field").asString()).isEqualTo("acknowledgeBreaks");
            assertThat(refused.json().path("error").path("problem").asString())
                    .contains("1 of 2 observed sessions change verdict");
            assertThat(refused.json().path("breakset").path("tables").get(0).path("rows").size()).isPositive();

            Http.Response submitted = h.admin.post(ws + "/submit", "{\"message\": \"drop SSH\", \"acknowledgeBreaks\": true}");
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            long cc = submitted.json().path("id").asLong();
            JsonNode audit = h.admin.get("/api/audit").json().path("entries");
            assertThat(audit.valueStream().filter(e -> e.path("action").asString().equals("acknowledge-breaks")).toList())
                    .singleElement().satisfies(e -> {
                        assertThat(e.path("object").asString()).isEqualTo("change-control " + cc);
                        assertThat(e.path("actor").asString()).isEqualTo("admin");
                        assertThat(e.path("detail").asString()).contains("newly blocked", "wifi_clients", "SSH");
                    });
        }
    }

    /**
     * A rollback is submitted through the same gate: going back to a version without the SSH rule
     * would block the laptop's observed SSH session, so it is refused until acknowledged, the refusal
     * names the rollback's workspace, and the change control keeps the break-set with its acknowledger.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRollbackKeepsItsBreakSetAndNeedsTheSameAcknowledgement(String db) throws Exception {
        observed();
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            Map<String, String> withoutSsh = new java.util.TreeMap<>(SeedLab.files());
            withoutSsh.put("policies.yaml", withoutSsh.get("policies.yaml")
                    .replaceFirst("(?s)      - name: ssh_to_web-app_servers\n.*?action: forward\n", ""));
            long v1 = h.admin.post("/api/versions", dev.septum.server.api.Json.write(Map.of("message", "no SSH", "files", withoutSsh)))
                    .json().path("version").path("id").asLong();
            long id = h.admin.post("/api/workspaces", "{\"name\": \"ssh-back\"}").json().path("id").asLong();
            String ws = "/api/workspaces/" + id;
            assertThat(h.admin.put(ws + "/files/policies.yaml", SeedLab.files().get("policies.yaml"), "application/yaml").status())
                    .isEqualTo(200);
            assertThat(h.admin.post(ws + "/build", "").status()).isEqualTo(200);
            Http.Response sshBack = h.admin.post(ws + "/submit", "{\"acknowledgeBreaks\": true}");
            assertThat(sshBack.status()).as(sshBack.body()).isEqualTo(201);
            assertThat(h.bob.post("/api/change-controls/" + sshBack.json().path("id").asLong() + "/approve", "").status()).isEqualTo(200);

            Http.Response refused = h.admin.post("/api/versions/" + v1 + "/rollback", "{\"message\": \"SSH was a mistake\"}");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            JsonNode error = refused.json().path("error");
            assertThat(error.path("field").asString()).isEqualTo("acknowledgeBreaks");
            assertThat(error.path("problem").asString()).contains("1 of 2 observed sessions change verdict", "rollback-to-" + v1);
            assertThat(error.path("fix").asString()).containsPattern("submit workspace \\d+ with \"acknowledgeBreaks\": true");
            assertThat(refused.json().path("breakset").path("tables").get(0).path("rows").get(0).path("kind").asString())
                    .isEqualTo("newly blocked");

            Http.Response back = h.admin.post("/api/versions/" + v1 + "/rollback", "{\"message\": \"SSH was a mistake\", "
                    + "\"acknowledgeBreaks\": true}");
            assertThat(back.status()).as(back.body()).isEqualTo(201);
            long cc = back.json().path("id").asLong();
            JsonNode kept = h.bob.get("/api/change-controls/" + cc).json().path("breakset");
            assertThat(kept.path("acknowledgedBy").asString()).isEqualTo("admin");
            assertThat(kept.path("tables").get(0).path("rows").valueStream()
                    .map(r -> r.path("kind").asString() + " " + r.path("service").asString()).toList()).isNotEmpty().containsOnly("newly blocked SSH");
            assertThat(h.bob.get("/api/change-controls/" + cc + "/review").body()).contains("break-set at submit: 1 of 2 observed sessions");
            assertThat(h.admin.get("/api/audit").json().path("entries").valueStream()
                    .filter(e -> e.path("action").asString().equals("acknowledge-breaks")).map(e -> e.path("object").asString()).toList())
                    .contains("change-control " + cc);
        }
    }

    @Test
    void aChangeNoObservedSessionNoticesSubmitsWithoutAcknowledgement() throws Exception {
        observed();
        try (ServerHarness h = new ServerHarness("sqlite", dataDir)) {
            h.admin.post("/api/versions", SeedLab.importBody());
            long id = h.admin.post("/api/workspaces", "{\"name\": \"mgmt\"}").json().path("id").asLong();
            String ws = "/api/workspaces/" + id;
            Map<String, String> seed = SeedLab.files();
            h.admin.put(ws + "/files/objects.yaml", SeedLab.withNewGroup(seed.get("objects.yaml")), "application/yaml");
            h.admin.put(ws + "/files/policies.yaml", SeedLab.withNewRule(seed.get("policies.yaml")), "application/yaml");
            assertThat(h.admin.post(ws + "/build", "").status()).isEqualTo(200);

            Http.Response submitted = h.admin.post(ws + "/submit", "{\"message\": \"SSH from mgmt\"}");

            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            assertThat(h.admin.get("/api/audit").body()).doesNotContain("acknowledge-breaks");
        }
    }

    @Test
    void promotingAStagedRuleIsAWorkspaceWhoseBreakSetShowsWhatItWillBlock() throws Exception {
        observed();
        try (ServerHarness h = new ServerHarness("sqlite", dataDir)) {
            Map<String, String> files = new java.util.TreeMap<>(SeedLab.files());
            String staged = files.get("policies.yaml").replaceFirst("(?m)^      - name: ssh_to_web-app_servers\n",
                    "      - name: no-ssh-to-web\n        sources: [wifi_clients]\n        destinations: [web01_web02]\n"
                            + "        services: [SSH]\n        action: drop\n        mode: staged\n      - name: ssh_to_web-app_servers\n");
            files.put("policies.yaml", staged);
            long version = h.admin.post("/api/versions", dev.septum.server.api.Json.write(Map.of("message", "staged", "files", files)))
                    .json().path("version").path("id").asLong();

            JsonNode report = h.admin.get("/api/versions/" + version + "/analyses/staged?since=1d").json();
            assertThat(report.path("tables").get(0).path("rows").get(0).path("rule").asString()).isEqualTo("no-ssh-to-web");
            assertThat(report.path("tables").get(0).path("rows").get(0).path("sessions").asLong()).isEqualTo(1);

            long id = h.admin.post("/api/workspaces", "{\"name\": \"promote\"}").json().path("id").asLong();
            String ws = "/api/workspaces/" + id;
            assertThat(h.admin.put(ws + "/files/policies.yaml", staged.replace("        mode: staged\n", ""), "application/yaml").status())
                    .isEqualTo(200);
            JsonNode rows = h.admin.get(ws + "/analyses/breakset").json().path("tables").get(0).path("rows");
            assertThat(rows.valueStream().map(r -> r.path("kind").asString() + " " + r.path("decidedAfter").asString()).toList())
                    .contains("newly blocked no-ssh-to-web");
        }
    }
}
