package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.api.Json;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A temporary exception on the server: check warns ahead of its day, and /metrics shows the days left for alerting. */
class ExpiryApiTest {
    @TempDir
    Path dataDir;

    @Test
    void anExpiringRuleIsAWarningInCheckAndAGaugeInMetrics() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(5);
        Map<String, String> files = new TreeMap<>(SeedLab.files());
        files.put("policies.yaml", files.get("policies.yaml").replaceFirst("(?m)^      - name: drop_all_else_web-app\n",
                "      - name: vendor-ssh\n        sources: [wifi_clients]\n        destinations: [appserver1]\n        services: [SSH]\n"
                        + "        action: forward\n        expires: " + day + "\n        owner: ops@example.com\n        ticket: CHG-77\n"
                        + "      - name: drop_all_else_web-app\n"));
        try (ServerHarness h = new ServerHarness("sqlite", dataDir)) {
            long version = h.admin.post("/api/versions", Json.write(Map.of("message", "exception", "files", files)))
                    .json().path("version").path("id").asLong();

            JsonNode soon = h.bob.get("/api/versions/" + version + "/analyses/check?min-level=warning").json();
            JsonNode quiet = h.bob.get("/api/versions/" + version + "/analyses/check?min-level=warning&expiry-warning=3d").json();
            String metrics = h.bob.get("/metrics").body();

            assertThat(soon.path("tables").get(0).path("rows").valueStream().filter(r -> r.path("kind").asString().equals("expiring")).toList())
                    .singleElement().satisfies(r -> assertThat(r.path("message").asString())
                            .isEqualTo("expires on " + day + ", in 5 days (owner ops@example.com, ticket CHG-77)"));
            assertThat(quiet.toString()).doesNotContain("expiring");
            assertThat(metrics).contains("septum_rule_expires_in_days{owner=\"ops@example.com\",policy=\"vrf_all_home\",rule=\"vendor-ssh\"} 5.0");
        }
    }
}
