package dev.septum.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.lab.Lab;
import dev.septum.lab.LabSpec;
import dev.septum.server.DeployTestSupport;
import dev.septum.server.ExportedProbes;
import dev.septum.server.Http;
import dev.septum.server.Namespaces;
import dev.septum.server.RecommendStoryTest;
import dev.septum.server.SeedLab;
import dev.septum.server.ServerHarness;
import dev.septum.server.TestUsers;
import dev.septum.server.api.Json;
import java.nio.file.Files;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The seed's DNS/NTP story in a real browser, from scratch, on the seed lab: the server starts
 * with the seed's estate only (its domain and devices, imported as a version); a network engineer
 * creates in the Policy Manager the groups with their categories (a bad prefix first, refused at
 * the field), the DNS and NTP services, the monitor object of the vZTX node and the policy
 * {@code dns_ntp_services}, then its rules: a drop of the wifi clients' other traffic to the
 * servers, and the seed's rule forwarding their DNS and NTP and mirroring it to the monitor node,
 * dragged above the drop. Build and review the diff, submit; the submitter may not approve, another
 * user does, and runs it to the switch's nftables stand-in, the router of the seed lab's network
 * namespaces. The laptop's real DNS and NTP through the router, captured in its namespace and
 * exported by softflowd to the server's embedded collector; the Policy Monitor plots the monitored
 * rule's counters; its collected sessions, seen filtered by it; and the Policy Builder's Generate
 * with the categories zone and role giving the DNS and NTP rules, submitted to a workspace whose
 * review shows them (steps shared with {@link BuilderPagesTest}). Screenshots of each screen go to
 * target/ui-screenshots (docs/ui holds copies).
 */
class StoryTest {
    private static final String ROUTER = "andreasm-720xp-home";
    private static final String POLICY = "dns_ntp_services";

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
    void createThePolicyBuildSubmitApproveRunThenCollectAndRecommend() throws Exception {
        Namespaces.requireRootUser();
        Lab seedLab = Lab.open(SeedLab.DIR, "sxu-" + UUID.randomUUID().toString().substring(0, 4) + "-", line -> { });
        lab = seedLab.serve(Optional.of("router-only"));
        harness = RecommendStoryTest.withCollector("sqlite", dir.resolve("data"));
        Http.Response estate = harness.admin.post("/api/versions", Json.write(Map.of("message", "the seed's estate",
                "files", Map.of("inventory.yaml", estateOnly()))));
        assertThat(estate.status()).as(estate.body()).isEqualTo(201);
        DeployTestSupport.bindNamespace(harness, ROUTER, lab.namespace("router"));
        browser = Browser.open(harness.server.port(), dir.resolve("profile"));
        browser.logIn("admin", TestUsers.ADMIN_PASSWORD);

        browser.find(By.id("ws-name")).sendKeys("dns-ntp");
        browser.find(By.cssSelector("form.new-ws button")).click();
        browser.awaitHeading("Policy Manager");
        assertThat(rowNames("#objects tbody tr")).isEmpty();

        // the groups with their categories; a bad prefix first: the loader's diagnostic shows at the field
        tab("groups");
        type("in-name", "wifi_clients");
        type("in-prefixes", "172.18.6.0/33");
        type("in-categories", "zone: campus\nrole: clients");
        browser.find(By.id("save")).click();
        WebElement error = browser.find(By.cssSelector("#field-prefixes .field-error"));
        assertThat(error.getText()).contains("error: group 'wifi_clients', field 'prefixes'").contains("Fix:");
        browser.screenshot(Screens.file("group-error"));
        type("in-prefixes", "172.18.6.0/24");
        save("wifi_clients");
        add("DNS_NTP_servers", Map.of("in-prefixes", "10.100.1.6, 10.100.1.7", "in-categories", "zone: infra\nrole: dns-ntp"));
        assertThat(browser.find(By.cssSelector("#objects tr[data-name=wifi_clients]")).getText()).contains("zone: campus").contains("172.18.6.0/24");
        browser.screenshot(Screens.file("groups"));

        // the services and the monitor object, the seed's Policy Objects
        tab("services");
        add("DNS", Map.of("in-protocol", "udp", "in-destination", "domain"));
        add("NTP", Map.of("in-protocol", "udp", "in-destination", "ntp"));
        assertThat(browser.find(By.cssSelector("#objects tr[data-name=NTP]")).getText()).contains("udp").contains("ntp");
        browser.screenshot(Screens.file("services"));
        tab("monitors");
        type("in-name", "andreas-vztx");
        type("in-tunnel-destination", "10.255.1.11");
        new Select(browser.find(By.id("in-nodes"))).selectByValue("andreas-ztx1");
        save("andreas-vztx");

        // the policy on the domain's VRF, then its rules with the pickers
        tab("policies");
        type("in-description", "Allow DNS and NTP requests to 10.100.1.6 and 10.100.1.7");
        new Select(browser.find(By.id("in-domain"))).selectByValue("andreas-lab-domain");
        add(POLICY, Map.of("in-vrf", "ALL"));
        browser.screenshot(Screens.file("policies"));
        browser.find(By.linkText(POLICY)).click();
        browser.awaitHeading("Rules of " + POLICY);
        type("in-name", "wifi-other-to-DNS_NTP_servers");
        type("in-description", "nothing but DNS and NTP from the wifi clients to the DNS/NTP servers");
        new Select(browser.find(By.id("in-sources"))).selectByValue("wifi_clients");
        new Select(browser.find(By.id("in-destinations"))).selectByValue("DNS_NTP_servers");
        new Select(browser.find(By.id("in-action"))).selectByValue("drop");
        browser.find(By.id("save")).click();
        browser.await("the drop rule", d -> rules().equals(List.of("wifi-other-to-DNS_NTP_servers")));
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

        // dragged above the drop: the page calls the REST rule route with ?before=wifi-other-to-DNS_NTP_servers
        dragToTop("monitor-dns-ntp", "wifi-other-to-DNS_NTP_servers");
        assertThat(rules()).containsExactly("monitor-dns-ntp", "wifi-other-to-DNS_NTP_servers");
        assertThat(browser.find(By.id("island")).getText()).contains("added groups: wifi_clients", "added groups: DNS_NTP_servers",
                "added services: DNS", "added services: NTP", "added monitors: andreas-vztx", "added policies: " + POLICY);
        screenshotFromTop("rules");

        // build: each device's config diff and the semantic diff
        browser.find(By.id("build")).click();
        browser.awaitHeading("Review of dns-ntp");
        assertThat(browser.find(By.id("build-state")).getText()).isEqualTo("ok");
        // nothing dropped before: the drop blocks the wifi clients' other traffic to the servers, the monitor rule keeps DNS and NTP
        assertThat(browser.find(By.id("semantic-diff")).getText()).contains("newly blocked").contains("wifi-other-to-DNS_NTP_servers")
                .contains("172.18.6.");
        assertThat(browser.find(By.cssSelector("#device-" + ROUTER + " + pre.config-diff")).getText()).contains("match monitor-dns-ntp");
        screenshotFromTop("review");

        browser.find(By.id("message")).sendKeys("allow and monitor the wifi clients' DNS and NTP");
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
        long version = harness.admin.get("/api/change-controls/1").json().path("version").asLong();
        // the counters before the traffic: the Policy Monitor's plot starts from them
        assertThat(harness.admin.post("/api/counters/poll", "").json().path("polled").path(ROUTER).asInt()).isPositive();

        // the laptop's real DNS and NTP through the router, exported by softflowd to the server's collector
        Map<String, LabSpec.Probe> probes = new TreeMap<>();
        seedLab.spec().probes().forEach(p -> probes.put(p.label(), p));
        LabSpec.Probe dns = probes.get("laptop -> dns dns");
        LabSpec.Probe ntp = probes.get("web01 -> dns ntp");
        ntp = new LabSpec.Probe("laptop", ntp.to(), ntp.kind(), ntp.expect(), ntp.expectIn(), ntp.note(), ntp.mirrored());
        assertThat(ExportedProbes.probe(lab, "laptop", List.of(dns, ntp), harness, dir)).containsOnly(
                Map.entry(dns.label(), "allowed"), Map.entry(ntp.label(), "allowed"));
        ExportedProbes.awaitSessions(harness, 2);

        // the Policy Monitor plots the counters read back from the namespace's nftables: the monitored rule was hit
        assertThat(harness.admin.post("/api/counters/poll", "").json().path("polled").path(ROUTER).asInt()).isPositive();
        browser.go("/monitor");
        browser.awaitHeading("Policy Monitor");
        assertThat(browser.attributes("table.hits[data-device=" + ROUTER + "] tbody tr", "match"))
                .contains("monitor-dns-ntp", "wifi-other-to-DNS_NTP_servers");
        assertThat(Long.parseLong(browser.find(By.cssSelector("tr[data-match=monitor-dns-ntp] td:nth-child(3)")).getText())).isPositive();
        browser.await("the plot", d -> !d.findElements(By.cssSelector(".chart svg")).isEmpty());
        browser.screenshot(Screens.file("monitor"));

        // the dashboard's drift check reads the router back: it holds what was approved, and the dashboard keeps that answer
        browser.go("/");
        browser.awaitHeading("Dashboard");
        assertThat(browser.find(By.id("devices")).getText()).contains("succeeded");
        browser.find(By.cssSelector("#devices a[href='/devices/" + ROUTER + "/drift']")).click();
        browser.awaitHeading("Drift of " + ROUTER);
        assertThat(browser.find(By.id("drift-state")).getText()).isEqualTo("in sync");
        browser.go("/");
        browser.awaitHeading("Dashboard");
        assertThat(browser.attributes("#devices [data-drift]", "drift")).containsExactly("in sync");
        browser.screenshot(Screens.file("dashboard"));

        // GET /metrics for a viewer's token: the same run, seen by Prometheus
        String metrics = harness.bob.get("/metrics").body();
        assertThat(metrics).contains("septum_change_controls{state=\"succeeded\"} 1.0")
                .contains("septum_http_requests_seconds_count{method=\"POST\",route=\"/change-controls/{id}/approve\"")
                .contains("septum_rule_hits_packets{device=\"" + ROUTER + "\",match=\"monitor-dns-ntp\"")
                .contains("septum_device_drift{device=\"" + ROUTER + "\",version=\"" + version + "\"} 0.0");

        // the sessions the monitored rule decided, and the rules the Policy Builder makes of them
        browser.logOut();
        browser.logIn("admin", TestUsers.ADMIN_PASSWORD);
        BuilderPagesTest.seeTheMonitoredSessions(browser);
        BuilderPagesTest.generateTheRulesAndSubmitThem(browser, harness, version, POLICY);
    }

    /** Scrolled to the top first: clicking a button lower down scrolled the page, and a swapped page may keep that scroll. */
    private void screenshotFromTop(String name) {
        ((JavascriptExecutor) browser.driver()).executeScript("window.scrollTo(0, 0)");
        browser.screenshot(Screens.file(name));
    }

    /** The seed lab's inventory without its monitor object: the domain and the devices, which the story does not create. */
    private static String estateOnly() throws java.io.IOException {
        String inventory = Files.readString(SeedLab.DIR.resolve("inventory.yaml"));
        int monitors = inventory.indexOf("\nmonitors:");
        assertThat(monitors).as("the seed lab's inventory has its monitor object last").isPositive();
        return inventory.substring(0, monitors + 1);
    }

    /** Opens a tab of the Policy Manager and waits for its table (htmx swaps the page in place). */
    private void tab(String kind) {
        browser.find(By.linkText(kind)).click();
        browser.await("the " + kind + " tab", d -> !d.findElements(By.cssSelector("table#objects[aria-label=" + kind + "]")).isEmpty());
    }

    /** Fills the form's name and {@code inputs} (input id to text) and saves: the new object is in the table. */
    private void add(String name, Map<String, String> inputs) {
        type("in-name", name);
        inputs.forEach(this::type);
        save(name);
    }

    private void save(String name) {
        browser.find(By.id("save")).click();
        browser.await("the new " + name + " in the table", d -> rowNames("#objects tbody tr").contains(name));
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
        assertThat(browser.find(By.cssSelector("#device-progress tr[data-device=" + ROUTER + "]")).getText()).contains("succeeded");
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
