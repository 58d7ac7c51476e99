package dev.septum.server;

import static dev.septum.server.DynamicGroupsServerTest.POLICY;
import static dev.septum.server.DynamicGroupsServerTest.importPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.ui.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;

/**
 * Sources kept current by the server, on both databases, with real peers: a member file written
 * the way an editor writes it (a new file renamed over the old) is refreshed at once, long before
 * its refresh runs out; an inventory (the JDK's HTTP server on loopback) that stops answering
 * turns stale (audit entry, /metrics gauge, the dashboard) and recovers when it answers again.
 */
class SourceWatchAndHealthTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aWrittenMemberFileIsRefreshedAtOnce(String db) throws Exception {
        Path file = Files.createDirectories(dataDir.resolve(SeptumServer.SOURCES_DIR).resolve("members")).resolve("web.csv");
        Files.writeString(file, "address\n198.51.100.10\n");
        // the schedule's first look is 30 s away and the file's answer runs out after 5 min: only the watch can refresh here
        ServerConfig config = ServerConfig.local(dataDir).withGroupRefreshInterval(Duration.ofSeconds(30));
        try (ServerHarness h = new ServerHarness(TestDatabase.of(db), dataDir, config)) {
            importPolicy(h, POLICY);
            Path written = file.resolveSibling("web.csv.new");
            Files.writeString(written, "address\n198.51.100.11\n");
            Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            String audit = DynamicGroupsServerTest.awaitAudit(h, "file changed: web.csv: members of version 1 changed: "
                    + "web added [198.51.100.11/32] removed [198.51.100.10/32]");
            assertThat(audit).contains("\"actor\":\"septum-refresh\",\"action\":\"groups.refresh\"");
            long ws = h.admin.get("/api/workspaces").json().path("workspaces").get(0).path("id").asLong();
            assertThat(h.admin.get("/api/workspaces/" + ws + "/build").json().path("devices").get(0).path("diff").asString())
                    .contains("+        elements = { 198.51.100.11/32 }\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSourceThatStopsAnsweringTurnsStaleAndRecovers(String db) throws Exception {
        try (MemberServer inventory = new MemberServer("198.51.100.10")) {
            String policy = POLICY.replace("source: {kind: file, path: members/web.csv}",
                    "source: {kind: http-json, url: '" + inventory.url() + "', refresh: 1s}");
            ServerConfig config = ServerConfig.local(dataDir).withGroupRefreshInterval(Duration.ofMillis(200));
            try (ServerHarness h = new ServerHarness(TestDatabase.of(db), dataDir, config)) {
                importPolicy(h, policy);
                String fresh = "septum_group_source_stale{group=\"web\",source=\"http-json\"} 0.0";
                assertThat(awaitMetrics(h, fresh)).contains("septum_group_source_age_seconds{group=\"web\",source=\"http-json\"}");

                inventory.stop();
                String stale = DynamicGroupsServerTest.awaitAudit(h, "groups.source.stale");
                assertThat(stale).contains("group web").contains("more than its max age 2s").contains("last failure:");
                awaitMetrics(h, "septum_group_source_stale{group=\"web\",source=\"http-json\"} 1.0");
                if (db.equals("sqlite")) {
                    try (Browser browser = Browser.open(h.server.port(), dataDir.resolve("profile"))) {
                        browser.logIn("admin", TestUsers.ADMIN_PASSWORD);
                        assertThat(browser.find(By.id("sources")).getText()).contains("web").contains("http-json").contains("stale");
                    }
                }

                inventory.start();
                String recovered = DynamicGroupsServerTest.awaitAudit(h, "groups.source.recovered");
                assertThat(recovered).contains("http-json source answered again");
                awaitMetrics(h, fresh);
            }
        }
    }

    private static String awaitMetrics(ServerHarness h, String line) throws InterruptedException {
        return DynamicGroupsServerTest.await("/metrics to hold " + line, () -> h.admin.get("/metrics").body(), m -> m.contains(line));
    }
}
