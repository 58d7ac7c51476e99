package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.ui.Browser;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The lifecycle in the web UI, in headless Chromium: a change control's page shows the break-set it
 * was submitted with (the laptop's observed SSH session, acknowledged by its submitter), and the
 * workspaces page's button opens the expired exception's removal workspace; rolling that change back
 * is refused until its workspace is submitted with the break acknowledged.
 */
class LifecyclePagesTest {
    @TempDir
    Path dir;

    @Test
    void theChangePageShowsTheKeptBreakSetAndAButtonOpensTheExpiredRemoval() throws Exception {
        long t = System.currentTimeMillis() - 60_000;
        StaleApiTest.observed(dir.resolve("data"), t, List.of(StaleApiTest.session(6, "172.18.6.138", 50300, "10.100.99.51", 22, t)));
        ServerHarness h = new ServerHarness("sqlite", dir.resolve("data"));
        Browser browser = null;
        try {
            h.admin.post("/api/versions", SeedLab.importBody());
            // one change: the SSH rule goes (breaking the observed session) and an exception that expired yesterday comes
            String policies = SeedLab.files().get("policies.yaml")
                    .replaceFirst("(?s)      - name: ssh_to_web-app_servers\n.*?action: forward\n", "")
                    .replaceFirst("(?m)^      - name: drop_all_else_web-app\n", "      - name: vendor-app\n"
                            + "        sources: [wifi_clients]\n        destinations: [appserver1]\n        services: [appserver1-tcp]\n"
                            + "        action: forward\n        expires: " + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "\n"
                            + "        owner: ops@example.com\n      - name: drop_all_else_web-app\n");
            long ws = h.admin.post("/api/workspaces", "{\"name\": \"no-ssh\"}").json().path("id").asLong();
            assertThat(h.admin.put("/api/workspaces/" + ws + "/files/policies.yaml", policies, "application/yaml").status()).isEqualTo(200);
            assertThat(h.admin.post("/api/workspaces/" + ws + "/build", "").status()).isEqualTo(200);
            browser = Browser.open(h.server.port(), dir.resolve("profile"));
            browser.logIn("admin", TestUsers.ADMIN_PASSWORD);
            // the island's submit is the REST submit's gate: refused until the break is acknowledged
            browser.go("/workspaces/" + ws + "/review");
            browser.find(By.id("message")).sendKeys("no SSH");
            browser.find(By.id("submit")).click();
            browser.awaitHeading("Refused (409)");
            assertThat(browser.find(By.cssSelector("[role=alert]")).getText())
                    .contains("1 of 1 observed sessions change verdict", "tick 'it may change observed sessions'");
            assertThat(h.admin.get("/api/change-controls").json().path("changeControls").size()).isZero();
            browser.go("/workspaces/" + ws + "/review");
            browser.find(By.id("message")).sendKeys("no SSH");
            browser.find(By.id("acknowledge-breaks")).click();
            browser.find(By.id("submit")).click();
            browser.await("the change control's page", ExpectedConditions.urlMatches("/change-controls/[0-9]+$"));
            long cc = Long.parseLong(browser.path().replaceAll(".*/", ""));
            assertThat(h.bob.post("/api/change-controls/" + cc + "/approve", "").status()).isEqualTo(200);
            browser.go("/change-controls/" + cc);
            assertThat(browser.find(By.id("breakset")).getText())
                    .contains("1 of 1 observed sessions change verdict", "acknowledged by admin", "newly blocked",
                            "172.18.6.138:50300 -> 10.100.99.51:22");

            browser.go("/workspaces");
            browser.find(By.id("expired-workspace")).click();
            browser.await("the removal workspace", ExpectedConditions.urlMatches("/workspaces/[0-9]+/objects/policies$"));
            assertThat(h.admin.get("/api/workspaces").json().path("workspaces").valueStream().map(w -> w.path("name").asString()).toList())
                    .contains("expired: vrf_all_home/vendor-app");
            assertThat(h.admin.get("/api/audit").json().path("entries").valueStream()
                    .filter(e -> e.path("action").asString().equals("rules.expired")).map(e -> e.path("actor").asString()).toList())
                    .containsExactly("admin");

            // a rollback passes the same gate: going back to the SSH rule changes the session's verdict again
            assertThat(h.bob.post("/api/change-controls/" + cc + "/run?wait=true", "").json().path("state").asString()).isEqualTo("succeeded");
            browser.go("/change-controls/" + cc);
            browser.find(By.id("rollback")).click();
            browser.awaitHeading("Refused (409)");
            String refusal = browser.find(By.cssSelector("[role=alert]")).getText();
            assertThat(refusal).contains("1 of 1 observed sessions change verdict", "tick 'it may change observed sessions'");
            browser.go(refusal.replaceAll("(?s).* at (/workspaces/[0-9]+/review).*", "$1"));
            browser.find(By.id("message")).sendKeys("SSH back");
            browser.find(By.id("acknowledge-breaks")).click();
            browser.find(By.id("submit")).click();
            browser.await("the rollback's change control", ExpectedConditions.urlMatches("/change-controls/[0-9]+$"));
            assertThat(browser.find(By.id("breakset")).getText()).contains("acknowledged by admin", "newly allowed");
            assertThat(browser.find(By.cssSelector("main p")).getText()).contains("SSH back");
        } finally {
            Browser.close(browser, h);
        }
    }
}
