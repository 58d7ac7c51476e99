package dev.septum.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.lab.Lab;
import dev.septum.lab.LabSpec;
import dev.septum.server.DeployTestSupport;
import dev.septum.server.ExportedProbes;
import dev.septum.server.Namespaces;
import dev.septum.server.RecommendStoryTest;
import dev.septum.server.SeedLab;
import dev.septum.server.ServerHarness;
import dev.septum.server.TestUsers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The seed's story in a real browser, on the seed lab: a network engineer creates a group with
 * categories, a service and a rule, drags the rule to the top, builds and reviews the diff,
 * submits; the submitter may not approve, another user does, and runs it to the switch's nftables
 * stand-in, the router of the seed lab's network namespaces; the Policy Monitor then plots its
 * counters. Then the seed's DNS/NTP stage, in the browser too: a rule forwarding the wifi clients'
 * DNS and NTP and mirroring it to the monitor node, dragged to the top so that it decides that
 * traffic, reviewed, approved and run; the laptop's real DNS and NTP through the router, captured
 * in its namespace and exported by softflowd to the server's embedded collector; the sessions the
 * monitored rule decided, seen filtered by it; and the Policy Builder's Generate with the
 * categories zone and role giving the DNS and NTP rules, submitted to a workspace whose review
 * shows them (steps shared with {@link BuilderPagesTest}). Screenshots of each screen go to
 * target/ui-screenshots (docs/ui holds copies).
 */
class StoryTest {
    @TempDir
    Path dir;
    ServerHarness harness;
    Browser browser;
    Lab.Serving lab;

    @AfterEach
    void stop() {
        Browser.close(browser, harness);
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void groupServiceRuleBuildSubmitApproveRunThenCollectAndRecommend() throws Exception {
        Namespaces.requireRootUser();
        Lab seedLab = Lab.open(SeedLab.DIR, "sxu-" + UUID.randomUUID().toString().substring(0, 4) + "-", line -> { });
        lab = seedLab.serve(Optional.of("router-only"));
        harness = RecommendStoryTest.withCollector("sqlite", dir.resolve("data"));
        assertThat(harness.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
        DeployTestSupport.bindNamespace(harness, "andreasm-720xp-home", lab.namespace("router"));
        browser = Browser.open(harness.server.port(), dir.resolve("profile"));
        browser.logIn("admin", TestUsers.ADMIN_PASSWORD);

        browser.find(By.id("ws-name")).sendKeys("block-syslog");
        browser.find(By.cssSelector("form.new-ws button")).click();
        browser.awaitHeading("Policy Manager");
        assertThat(rowNames("#objects tbody tr")).containsExactly("vrf_all_home");

        // a group with categories; a bad prefix first: the loader's diagnostic shows at the field
        browser.find(By.linkText("groups")).click();
        browser.await("the seed's groups", d -> rowNames("#objects tbody tr").contains("DNS_NTP_servers"));
        type("in-name", "lab_clients");
        type("in-prefixes", "172.18.7.0/33");
        type("in-categories", "zone: campus\nrole: clients");
        browser.find(By.id("save")).click();
        WebElement error = browser.find(By.cssSelector("#field-prefixes .field-error"));
        assertThat(error.getText()).contains("error: group 'lab_clients', field 'prefixes'").contains("Fix:");
        browser.screenshot(Screens.file("group-error"));
        type("in-prefixes", "172.18.7.0/24");
        browser.find(By.id("save")).click();
        browser.await("the new group in the table", d -> rowNames("#objects tbody tr").contains("lab_clients"));
        assertThat(browser.find(By.cssSelector("#objects tr[data-name=lab_clients]")).getText()).contains("zone: campus").contains("172.18.7.0/24");
        browser.screenshot(Screens.file("groups"));

        browser.find(By.linkText("services")).click();
        browser.await("the seed's services", d -> rowNames("#objects tbody tr").contains("NTP"));
        type("in-name", "SYSLOG");
        type("in-protocol", "udp");
        type("in-destination", "514");
        browser.find(By.id("save")).click();
        browser.await("the new service", d -> rowNames("#objects tbody tr").contains("SYSLOG"));

        // a rule, with the pickers
        browser.find(By.linkText("policies")).click();
        browser.find(By.linkText("vrf_all_home")).click();
        browser.awaitHeading("Rules of vrf_all_home");
        type("in-name", "block-clients-syslog");
        type("in-description", "no syslog from the lab clients to the DNS/NTP servers");
        new Select(browser.find(By.id("in-sources"))).selectByValue("lab_clients");
        new Select(browser.find(By.id("in-destinations"))).selectByValue("DNS_NTP_servers");
        new Select(browser.find(By.id("in-services"))).selectByValue("SYSLOG");
        new Select(browser.find(By.id("in-direction"))).selectByValue("bi");
        new Select(browser.find(By.id("in-action"))).selectByValue("drop");
        browser.find(By.id("save")).click();
        browser.await("the new rule, last", d -> rules().getLast().equals("block-clients-syslog"));

        // dragged to the top: the page calls the REST rule route with ?before=allow_all_NTP
        dragToTop("block-clients-syslog", "allow_all_NTP");
        assertThat(rules()).hasSize(8).endsWith("drop_all_else_web-app");
        assertThat(browser.find(By.id("island")).getText()).contains("added groups: lab_clients").contains("added services: SYSLOG")
                .contains("added rules of vrf_all_home: block-clients-syslog");
        browser.screenshot(Screens.file("rules"));

        // build: each device's config diff and the semantic diff
        browser.find(By.id("build")).click();
        browser.awaitHeading("Review of block-syslog");
        assertThat(browser.find(By.id("build-state")).getText()).isEqualTo("ok");
        // the seed's VRF forwards what no rule matches: the new drop rule blocks syslog that was allowed
        assertThat(browser.find(By.id("semantic-diff")).getText()).contains("block-clients-syslog").contains("172.18.7.");
        assertThat(browser.find(By.cssSelector("pre.config-diff")).getText()).contains("block-clients-syslog");
        browser.screenshot(Screens.file("review"));

        browser.find(By.id("message")).sendKeys("block syslog from the lab clients");
        browser.find(By.id("submit")).click();
        browser.awaitHeading("Change control 1");
        assertThat(browser.find(By.id("cc-state")).getText()).isEqualTo("pending-approval");
        String changePath = browser.path();
        browser.screenshot(Screens.file("change-control"));

        // four eyes: the submitter is offered approve (an approver role) but refused
        browser.find(By.id("approve")).click();
        browser.awaitHeading("Refused (403)");
        assertThat(browser.find(By.cssSelector("main .error")).getText()).contains("four-eyes");

        approveAndRunAsBob(changePath);
        browser.screenshot(Screens.file("change-control-run"));

        // the Policy Monitor plots the counters read back from the namespace's nftables
        assertThat(harness.admin.post("/api/counters/poll", "").json().path("polled").path("andreasm-720xp-home").asInt()).isPositive();
        browser.go("/monitor");
        browser.awaitHeading("Policy Monitor");
        assertThat(browser.attributes("table.hits[data-device=andreasm-720xp-home] tbody tr", "match"))
                .contains("block-clients-syslog", "block-clients-syslog-reverse", "drop_all_else_web-app");
        browser.await("the plot", d -> !d.findElements(By.cssSelector(".chart svg")).isEmpty());
        browser.screenshot(Screens.file("monitor"));

        browser.go("/");
        browser.awaitHeading("Dashboard");
        assertThat(browser.find(By.id("devices")).getText()).contains("succeeded");
        browser.screenshot(Screens.file("dashboard"));

        // GET /metrics for a viewer's token: the same run, seen by Prometheus
        String metrics = harness.bob.get("/metrics").body();
        assertThat(metrics).contains("septum_change_controls{state=\"succeeded\"} 1.0")
                .contains("septum_http_requests_seconds_count{method=\"POST\",route=\"/change-controls/{id}/approve\"")
                .contains("septum_rule_hits_packets{device=\"andreasm-720xp-home\",match=\"block-clients-syslog\"");

        // the DNS/NTP stage: a rule mirroring the wifi clients' DNS and NTP to the monitor node, on top so that it decides them
        browser.logOut();
        browser.logIn("admin", TestUsers.ADMIN_PASSWORD);
        browser.find(By.id("ws-name")).sendKeys("monitor-dns-ntp");
        browser.find(By.cssSelector("form.new-ws button")).click();
        browser.awaitHeading("Policy Manager");
        browser.find(By.linkText("policies")).click();
        // the link is on the page before the swap and after it: clicked again if the swap took it away
        browser.await("the policy's link clicked", d -> {
            d.findElement(By.linkText("vrf_all_home")).click();
            return true;
        });
        browser.awaitHeading("Rules of vrf_all_home");
        type("in-name", "monitor-dns-ntp");
        new Select(browser.find(By.id("in-sources"))).selectByValue("wifi_clients");
        new Select(browser.find(By.id("in-destinations"))).selectByValue("DNS_NTP_servers");
        new Select(browser.find(By.id("in-services"))).selectByValue("DNS");
        new Select(browser.find(By.id("in-services"))).selectByValue("NTP");
        new Select(browser.find(By.id("in-direction"))).selectByValue("bi");
        new Select(browser.find(By.id("in-action"))).selectByValue("forward");
        new Select(browser.find(By.id("in-monitor"))).selectByValue("andreas-vztx");
        browser.find(By.id("save")).click();
        browser.await("the monitor rule, last", d -> rules().getLast().equals("monitor-dns-ntp"));
        dragToTop("monitor-dns-ntp", "block-clients-syslog");
        browser.find(By.id("build")).click();
        browser.awaitHeading("Review of monitor-dns-ntp");
        assertThat(browser.find(By.id("build-state")).getText()).isEqualTo("ok");
        browser.find(By.id("message")).sendKeys("mirror the wifi clients' DNS and NTP to the monitor node");
        browser.find(By.id("submit")).click();
        browser.awaitHeading("Change control 2");
        approveAndRunAsBob(browser.path());
        long version = harness.admin.get("/api/change-controls/2").json().path("version").asLong();

        // the laptop's real DNS and NTP through the router, exported by softflowd to the server's collector
        Map<String, LabSpec.Probe> probes = new TreeMap<>();
        seedLab.spec().probes().forEach(p -> probes.put(p.label(), p));
        LabSpec.Probe dns = probes.get("laptop -> dns dns");
        LabSpec.Probe ntp = probes.get("web01 -> dns ntp");
        ntp = new LabSpec.Probe("laptop", ntp.to(), ntp.kind(), ntp.expect(), ntp.expectIn(), ntp.note(), ntp.mirrored());
        assertThat(ExportedProbes.probe(lab, "laptop", List.of(dns, ntp), harness, dir)).containsOnly(
                Map.entry(dns.label(), "allowed"), Map.entry(ntp.label(), "allowed"));
        ExportedProbes.awaitSessions(harness, 2);

        browser.logOut();
        browser.logIn("admin", TestUsers.ADMIN_PASSWORD);
        BuilderPagesTest.seeTheMonitoredSessions(browser);
        BuilderPagesTest.generateTheRulesAndSubmitThem(browser, harness, version, "vrf_all_home");
    }

    /** Drags a rule above {@code above}: the page calls the REST rule route with ?before=, then reloads. */
    private void dragToTop(String rule, String above) {
        WebElement grip = browser.find(By.cssSelector("#rules tr[data-rule=" + rule + "] td.grip"));
        WebElement top = browser.find(By.cssSelector("#rules tr[data-rule=" + above + "] td.grip"));
        WebElement before = browser.find(By.id("rules"));
        new Actions(browser.driver()).clickAndHold(grip).moveToElement(top, 0, -8).moveToElement(top, 0, -12).release().perform();
        // the page reloads once the route stored the move; SortableJS moved the row on the page before that
        browser.await("the page reloaded after the move", d -> gone(before));
        browser.await("the rule moved to the top", d -> rules().getFirst().equals(rule));
    }

    /**
     * Whether the page that held {@code element} was replaced. Mid-navigation Chromium may answer
     * "Node with given id does not belong to the document" instead of a stale reference, which
     * {@code ExpectedConditions.stalenessOf} does not catch; both mean the old page is gone.
     */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.WebDriverException replaced) {
            return true;
        }
    }

    /** Four eyes: bob approves the change control and runs it to the router; it succeeds there. */
    private void approveAndRunAsBob(String changePath) {
        browser.logOut();
        browser.logIn("bob", TestUsers.BOB_PASSWORD);
        browser.go(changePath);
        browser.find(By.id("approve")).click();
        browser.await("approved", d -> d.findElement(By.id("cc-state")).getText().equals("approved"));
        assertThat(browser.find(By.id("approved-by")).getText()).startsWith("bob");
        browser.find(By.id("run")).click();
        browser.await("the run to finish", d -> !List.of("approved", "running").contains(
                d.findElement(By.id("progress")).getAttribute("data-state")));
        browser.go(changePath);
        assertThat(browser.find(By.id("cc-state")).getText()).isEqualTo("succeeded");
        assertThat(browser.find(By.cssSelector("#device-progress tr[data-device=andreasm-720xp-home]")).getText()).contains("succeeded");
    }

    private void type(String id, String text) {
        WebElement input = browser.find(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private List<String> rowNames(String rows) {
        return browser.attributes(rows, "name");
    }

    private List<String> rules() {
        return browser.attributes("#rules tbody tr", "rule");
    }
}
