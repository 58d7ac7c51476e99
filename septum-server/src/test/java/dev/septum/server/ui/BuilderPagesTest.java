package dev.septum.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.Http;
import dev.septum.server.RecommendStoryTest;
import dev.septum.server.ServerHarness;
import dev.septum.server.TestUsers;
import dev.septum.server.api.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The Policy Builder screens in a real browser, on the seed's DNS/NTP story as {@link
 * RecommendStoryTest} sets it up (its monitor stage imported, its sessions sent as real IPFIX to the
 * server's embedded collector): what the story ({@link StoryTest}) does not, a bad budget and an
 * unknown rule refused at their fields and the scan left out of a run on every session. Its
 * steps the story takes too (the monitored rule's sessions, Generate with the two categories, the
 * rules submitted to a workspace) are here as helpers the story calls.
 */
class BuilderPagesTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        harness = RecommendStoryTest.withCollector("sqlite", dir.resolve("data"));
        importMonitorStage(harness);
        RecommendStoryTest.collect(harness, RecommendStoryTest.traffic());
        browser = Browser.open(harness.server.port(), dir.resolve("profile"));
        browser.logIn("admin", TestUsers.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        Browser.close(browser, harness);
    }

    @Test
    void badFieldsAreRefusedAtTheFieldAndTheScanIsLeftOut() {
        browser.go("/builder");
        browser.awaitHeading("Policy Builder");
        browser.find(By.id("b-budget")).sendKeys("a lot");
        browser.find(By.id("generate")).click();
        assertThat(browser.find(By.cssSelector("#b-budget ~ .field-error")).getText())
                .isEqualTo("must be a number from 0.0 to 10.0, not \"a lot\". Fix: β: 0 opens nothing unobserved, 0.25 a quarter more");
        assertThat(browser.driver().findElements(By.id("proposal"))).isEmpty();

        browser.find(By.id("b-budget")).clear();
        // the recommender's own refusal, in the CLI's words, naming the field: the run fails while the page polls it
        browser.find(By.id("b-rule")).sendKeys("nosuch");
        browser.find(By.id("generate")).click();
        awaitRun(browser, "failed");
        assertThat(browser.find(By.id("run-error")).getText())
                .startsWith("rule no rule or match 'nosuch' in the policy (see 'septum compile' for match names)");
        browser.find(By.id("b-rule")).clear();
        // every session: the scan's resets are left out, reported as the REST route reports them
        browser.find(By.id("generate")).click();
        JsonNode all = harness.admin.get("/api/recommendations/" + awaitRun(browser, "done").getAttribute("data-run")).json();
        assertThat(browser.driver().findElements(By.cssSelector("#left-out td[data-key=kind]")).stream().map(WebElement::getText).toList())
                .isNotEmpty().isEqualTo(all.path("probes").findValuesAsString("kind"));
    }

    /** The run the page shows, once the page's polling has shown it {@code status} (done or failed). */
    static WebElement awaitRun(Browser browser, String status) {
        return browser.await("the run " + status, ExpectedConditions.presenceOfElementLocated(By.cssSelector("#proposal[data-status=" + status + "]")));
    }

    /** The seed's collecting stage as a new version: the monitor rule the only policy; its version's id. */
    static long importMonitorStage(ServerHarness harness) {
        Http.Response imported = harness.admin.post("/api/versions", Json.write(Map.of("message", "DNS/NTP monitor stage",
                "files", RecommendStoryTest.monitorStage())));
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        return imported.json().path("version").path("id").asLong();
    }

    /** From the Policy Builder, the monitored rule's link: the collected sessions it decided, filtered by it. */
    static void seeTheMonitoredSessions(Browser browser) {
        browser.find(By.linkText("Policy Builder")).click();
        browser.awaitHeading("Policy Builder");
        browser.find(By.cssSelector("#monitored a")).click();
        browser.find(By.id("sessions"));
        assertThat(browser.path()).startsWith("/flows/sessions");
        assertThat(browser.attributes("#sessions tbody tr", "rule")).isNotEmpty().containsOnly("monitor-dns-ntp");
    }

    /**
     * Generate on the version with the two categories, into {@code policy}: the REST route's DNS and NTP
     * rules, then submitted (the NTP rule renamed) to a new workspace whose review and rule list show
     * them before the monitor rule.
     */
    static void generateTheRulesAndSubmitThem(Browser browser, ServerHarness harness, long version, String policy) {
        browser.go("/builder");
        browser.awaitHeading("Policy Builder");
        new Select(browser.find(By.id("b-monitor"))).selectByValue("andreas-vztx");
        new Select(browser.find(By.id("b-into"))).selectByValue(policy);
        browser.find(By.id("b-cat-zone")).click();
        browser.find(By.id("b-cat-role")).click();
        browser.find(By.id("generate")).click();
        WebElement proposal = awaitRun(browser, "done");
        assertThat(browser.path()).as("the run is a link to share, with the form's fields").isEqualTo("/builder?source=v" + version
                + "&since=&until=&monitor=andreas-vztx&rule=&categories=role&categories=zone&budget=&minPrecision=&into=" + policy
                + "&policyName=&run=" + proposal.getAttribute("data-run"));
        List<String> rules = browser.attributes("#proposals tbody tr", "rule");
        assertThat(rules).containsExactlyInAnyOrder(RecommendStoryTest.DNS_RULE, RecommendStoryTest.NTP_RULE);
        // the page shows the run the REST route reads back: the same rules, evidence and totals
        JsonNode run = harness.admin.get("/api/recommendations/" + proposal.getAttribute("data-run")).json();
        assertThat(run.path("rules").findValuesAsString("name")).isEqualTo(rules);
        assertThat(browser.driver().findElements(By.cssSelector("#proposals td[data-key=sessions]")).stream().map(WebElement::getText)
                .map(Long::parseLong).toList()).isEqualTo(IntStream.range(0, rules.size()).mapToObj(i -> run.path("rules").get(i).path("sessions").asLong()).toList());
        assertThat(browser.find(By.cssSelector("#totals tbody td")).getText()).isEqualTo(run.path("totals").path("sessionsRead").asString());
        assertThat(browser.find(By.id("guarantees")).getText()).contains("hold");
        ((JavascriptExecutor) browser.driver()).executeScript("document.getElementById('proposal').scrollIntoView()");
        browser.screenshot(Screens.file("builder"));

        browser.find(By.cssSelector("tr[data-rule='" + RecommendStoryTest.NTP_RULE + "'] input[name^=rename]")).sendKeys("wifi-ntp");
        browser.find(By.id("ws-name")).sendKeys("dns-ntp-rules");
        browser.find(By.id("submit-rules")).click();
        browser.awaitHeading("Review of dns-ntp-rules");
        assertThat(browser.find(By.id("build-state")).getText()).isEqualTo("ok");
        String configDiff = browser.find(By.cssSelector("main")).getText();
        assertThat(configDiff).contains("match " + RecommendStoryTest.DNS_RULE, "match wifi-ntp")
                .doesNotContain(RecommendStoryTest.NTP_RULE);
        browser.screenshot(Screens.file("builder-review"));

        String workspace = browser.path().substring(0, browser.path().indexOf("/review"));
        browser.go(workspace + "/policies/" + policy + "/rules");
        // before the monitor rule, in the proposal's order, the NTP rule under its new name
        assertThat(browser.attributes("tr[data-rule]", "rule")).startsWith(
                rules.get(0).replace(RecommendStoryTest.NTP_RULE, "wifi-ntp"), rules.get(1).replace(RecommendStoryTest.NTP_RULE, "wifi-ntp"),
                "monitor-dns-ntp");
        browser.screenshot(Screens.file("builder-rules"));
    }
}
