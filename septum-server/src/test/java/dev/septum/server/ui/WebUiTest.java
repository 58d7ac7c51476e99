package dev.septum.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.Http;
import dev.septum.server.ServerHarness;
import dev.septum.server.TestUsers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The web UI's skeleton in a real browser: login, layout, the workspace island, WebJars, swagger-ui. */
class WebUiTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;
    static Browser browser;

    @BeforeAll
    static void start() {
        harness = new ServerHarness("sqlite", dir.resolve("data"));
        browser = Browser.open(harness.server.port(), dir.resolve("profile"));
    }

    @AfterAll
    static void stop() {
        Browser.close(browser, harness);
    }

    @Test
    void aPageAsksForALoginAndReturnsToItAfterwards() {
        browser.go("/devices/andreasm-720xp-home/drift?view=full");
        browser.find(By.id("login"));
        assertThat(browser.path()).isEqualTo("/login?next=%2Fdevices%2Fandreasm-720xp-home%2Fdrift%3Fview%3Dfull");
        browser.find(By.id("name")).sendKeys("admin");
        browser.find(By.id("password")).sendKeys("not the password");
        browser.find(By.id("login")).click();
        assertThat(browser.find(By.id("login-error")).getText()).contains("does not name a valid, active user and its password");

        browser.find(By.id("password")).sendKeys(TestUsers.ADMIN_PASSWORD);
        browser.find(By.id("login")).click();
        // back where it was asked for: no deploy target is bound to that device
        browser.awaitHeading("Refused (404)");
        assertThat(browser.path()).isEqualTo("/devices/andreasm-720xp-home/drift?view=full");
        browser.go("/");
        browser.awaitHeading("Dashboard");
        assertThat(browser.find(By.cssSelector("nav a[aria-current=page]")).getText()).isEqualTo("Dashboard");
        assertThat(browser.find(By.id("island")).getText()).contains("Workspace").contains("New workspace");
        assertThat(browser.find(By.cssSelector("form.who")).getText()).contains("admin").contains("(admin)");
        browser.screenshot(Screens.file("dashboard"));
        browser.logOut();
        browser.go("/");
        browser.find(By.id("login"));
    }

    @Test
    void theBrowserLibrariesComeFromTheJar() {
        Http http = harness.anonymous;
        Assets assets = new Templates().assets();
        for (String path : List.of(assets.htmx(), assets.echarts(), assets.sortable(), assets.swaggerUi() + "/swagger-ui-bundle.js",
                "/static/septum.css", "/static/septum.js")) {
            assertThat(http.get(path).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void swaggerUiShowsTheApi() {
        browser.go("/api/docs");
        browser.await("swagger-ui's operations", d -> d.findElements(By.cssSelector(".opblock-summary-path")).size() > 20);
        assertThat(browser.driver().findElement(By.cssSelector(".swagger-ui .info .title")).getText()).contains("Septum");
        browser.screenshot(Screens.file("api-docs"));
    }

    @Test
    void aChangeWithoutTheSessionsCsrfTokenIsRefused() {
        Http.Response login = harness.anonymous.post("/api/session", "{\"name\": \"bob\", \"password\": \"" + TestUsers.BOB_PASSWORD + "\"}");
        assertThat(login.status()).isEqualTo(200);
        String cookies = String.join("; ", login.headers().get("set-cookie").stream().map(c -> c.split(";")[0]).toList());
        Map<String, String> form = Map.of("Cookie", cookies, "Content-Type", "application/x-www-form-urlencoded");
        Http.Response refused = harness.anonymous.send("POST", "/logout", "", form);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("X-CSRF-Token").contains("is missing or does not match the session");
        Http.Response crossSite = harness.anonymous.send("POST", "/logout", "_csrf=" + login.json().path("csrfToken").asString(),
                Map.of("Cookie", cookies, "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://attacker.example"));
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.body()).contains("Origin");
    }
}
