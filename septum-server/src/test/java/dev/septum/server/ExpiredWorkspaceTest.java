package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.api.Json;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** An expired exception produces its removal workspace: opened once, deleting only the expired rule, audited with owner and ticket. */
class ExpiredWorkspaceTest {
    @TempDir
    Path dataDir;

    private static String exception(String name, String service, LocalDate day, String owner, String ticket) {
        return "      - name: " + name + "\n        sources: [wifi_clients]\n        destinations: [appserver1]\n        services: [" + service
                + "]\n        action: forward\n        expires: " + day + "\n        owner: " + owner + "\n        ticket: " + ticket + "\n";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anExpiredRuleIsRemovedInOneReviewWorkspace(String db) throws Exception {
        // a wifi client used the expired exception to reach appserver1's port 4567 a minute ago
        long t = System.currentTimeMillis() - 60_000;
        StaleApiTest.observed(dataDir, t, List.of(StaleApiTest.session(6, "172.18.6.138", 50000, "10.100.99.50", 4567, t)));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, String> files = new TreeMap<>(SeedLab.files());
        files.put("policies.yaml", files.get("policies.yaml").replaceFirst("(?m)^      - name: drop_all_else_web-app\n",
                exception("vendor-app", "appserver1-tcp", today.minusDays(2), "ops@example.com", "CHG-77")
                        + exception("vendor-http", "HTTP", today.plusDays(30), "web@example.com", "CHG-78")
                        + "      - name: drop_all_else_web-app\n"));
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            Http.Response imported = h.admin.post("/api/versions", Json.write(Map.of("message", "exceptions", "files", files)));
            assertThat(imported.status()).as(imported.body()).isEqualTo(201);

            Http.Response first = h.bob.post("/api/rules/expired/workspace", "");
            Http.Response second = h.bob.post("/api/rules/expired/workspace", "");

            assertThat(first.status()).as(first.body()).isEqualTo(200);
            JsonNode opened = first.json();
            assertThat(opened.path("opened").asBoolean()).isTrue();
            assertThat(opened.path("removed").valueStream().map(JsonNode::asString).toList()).containsExactly("vrf_all_home/vendor-app");
            assertThat(opened.path("workspace").path("name").asString()).isEqualTo("expired: vrf_all_home/vendor-app");
            JsonNode breaks = opened.path("breakset");
            assertThat(breaks.path("tables").get(0).path("rows").size()).as(breaks.toString()).isEqualTo(1);
            assertThat(breaks.toString()).contains("newly blocked").contains("wifi_clients").contains("4567");
            long ws = opened.path("workspace").path("id").asLong();
            JsonNode workspace = h.admin.get("/api/workspaces/" + ws).json();
            assertThat(workspace.toString()).contains("septum-refresh");
            String policies = h.admin.get("/api/workspaces/" + ws + "/files/policies.yaml").body();
            assertThat(policies).doesNotContain("vendor-app").contains("vendor-http").contains("drop_all_else_web-app");
            assertThat(policies.lines().count()).isEqualTo(files.get("policies.yaml").lines().count() - 8);

            assertThat(second.status()).as(second.body()).isEqualTo(200);
            assertThat(second.json().path("opened").asBoolean()).isFalse();
            assertThat(second.json().path("workspace").path("id").asLong()).isEqualTo(ws);

            String audit = h.admin.get("/api/audit").body();
            assertThat(audit).contains("rules.expired").contains("vrf_all_home/vendor-app (owner ops@example.com, ticket CHG-77)")
                    .doesNotContain("vendor-http");
            assertThat(audit.split("rules\\.expired", -1)).hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theScheduleOpensTheRemovalWorkspaceOnceByItself(String db) throws Exception {
        Map<String, String> files = new TreeMap<>(SeedLab.files());
        files.put("policies.yaml", files.get("policies.yaml").replaceFirst("(?m)^      - name: drop_all_else_web-app\n",
                exception("vendor-app", "appserver1-tcp", LocalDate.now(ZoneOffset.UTC).minusDays(1), "ops@example.com", "CHG-77")
                        + "      - name: drop_all_else_web-app\n"));
        try (ServerHarness h = new ServerHarness(TestDatabase.of(db), dataDir,
                ServerConfig.local(dataDir).withExpiredInterval(java.time.Duration.ofMillis(100)))) {
            assertThat(h.admin.post("/api/versions", Json.write(Map.of("message", "exceptions", "files", files))).status()).isEqualTo(201);

            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            List<JsonNode> opened = expiredWorkspaces(h);
            while (opened.isEmpty()) {
                assertThat(System.nanoTime()).as("the schedule opens the workspace within 20 s").isLessThan(deadline);
                Thread.sleep(50);
                opened = expiredWorkspaces(h);
            }
            // later ticks find it open and open no second one; the audit line shows one opening, by the schedule
            String audit = h.admin.get("/api/audit").body();
            while (audit.split("rules\\.expired", -1).length < 2) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                audit = h.admin.get("/api/audit").body();
            }
            assertThat(h.bob.post("/api/rules/expired/workspace", "").json().path("opened").asBoolean()).isFalse();
            assertThat(expiredWorkspaces(h)).singleElement().satisfies(w -> assertThat(w.path("name").asString())
                    .isEqualTo("expired: vrf_all_home/vendor-app"));
            assertThat(h.admin.get("/api/audit").body().split("rules\\.expired", -1)).hasSize(2);
            assertThat(h.admin.get("/api/audit").json().path("entries").valueStream()
                    .filter(e -> e.path("action").asString().equals("rules.expired")).toList())
                    .singleElement().satisfies(e -> assertThat(e.path("actor").asString()).isEqualTo("septum-refresh"));
        }
    }

    private static List<JsonNode> expiredWorkspaces(ServerHarness h) {
        return h.admin.get("/api/workspaces").json().path("workspaces").valueStream()
                .filter(w -> w.path("name").asString().startsWith("expired: ")).toList();
    }

    @Test
    void nothingExpiredOpensNoWorkspace() {
        try (ServerHarness h = new ServerHarness("sqlite", dataDir)) {
            h.admin.post("/api/versions", SeedLab.importBody());
            long before = h.admin.get("/api/workspaces").json().path("workspaces").size();

            Http.Response answer = h.bob.post("/api/rules/expired/workspace", "");

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("message").asString()).isEqualTo("nothing expired");
            assertThat(answer.json().has("workspace")).isFalse();
            assertThat(h.admin.get("/api/workspaces").json().path("workspaces").size()).isEqualTo(before);
        }
    }
}
