package dev.septum.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.export.IpfixExporter;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionTimeouts;
import dev.septum.server.Http;
import dev.septum.server.SeedLab;
import dev.septum.server.ServerConfig;
import dev.septum.server.ServerHarness;
import dev.septum.server.TestDatabase;
import dev.septum.server.TestUsers;
import dev.septum.server.api.Json;
import dev.septum.server.monitor.CollectorServeTest;
import dev.septum.server.monitor.CollectorSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;

/**
 * The verification screens, the flow map and the collected sessions in a real browser, on the seed
 * lab with sessions sent as real IPFIX to the server's embedded collector: check, reach and trace
 * of a version; the map's edges by verdict and rule, an edge's sessions, "why?" answered by the
 * trace; the sessions' filters and pages; and a rollback offered once a change control ran.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyFlowsTest {
    /** DNS lookups beside the seed's sessions, so the sessions page has a second page. */
    static final int LOOKUPS = 60;

    @TempDir
    static Path dir;
    static ServerHarness harness;
    static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        // long timeouts: the sessions stay live until the server stops, so nothing here races the clock
        CollectorSettings collect = CollectorSettings.on(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withFlushMs(200).withTimeouts(new SessionTimeouts(600_000, 600_000, 3_600_000, 600_000));
        Path data = dir.resolve("data");
        harness = new ServerHarness(TestDatabase.of("sqlite"), data, ServerConfig.local(data).withCollector(collect));
        assertThat(harness.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
        List<SessionRow> rows = new ArrayList<>(CollectorServeTest.TRAFFIC);
        IntStream.range(0, LOOKUPS).forEach(i -> rows.add(CollectorServeTest.udp("172.18.6.30", 40000 + i, "10.100.1.6", 53)));
        try (IpfixExporter exporter = IpfixExporter.open(harness.server.collector().orElseThrow().localAddress(), 7)) {
            rows.forEach(exporter::exported);
        }
        browser = Browser.open(harness.server.port(), dir.resolve("profile"));
        browser.await("every session stored and tagged", d -> harness.admin.get("/api/sessions?version=1").json().path("count").asInt()
                == rows.size());
        browser.logIn("admin", TestUsers.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        Browser.close(browser, harness);
    }

    @Test
    @Order(1)
    void checkReachAndTraceOfAVersion() {
        browser.find(By.linkText("Verify")).click();
        browser.awaitHeading("Verification");
        browser.find(By.cssSelector("#versions tr[data-version='1'] a[href='/versions/1/verify/check']")).click();
        browser.awaitHeading("Verification of version 1");
        List<String> kinds = browser.driver().findElements(By.cssSelector("table[data-table=findings] td[data-key=kind]")).stream()
                .map(WebElement::getText).toList();
        // the same findings as the REST route, from the same analysis
        assertThat(kinds).isNotEmpty().isEqualTo(harness.admin.get("/api/versions/1/analyses/check").json().path("tables").get(0)
                .path("rows").findValuesAsString("kind"));
        assertThat(browser.find(By.cssSelector(".answer .note")).getText()).contains("info");
        browser.screenshot(Screens.file("verify-check"));

        browser.find(By.linkText("reach")).click();
        browser.await("the reachability matrix", d -> d.findElements(By.cssSelector("table[data-table=pairs] tr.row")).size() > 3);
        assertThat(browser.find(By.cssSelector(".answer h2")).getText()).startsWith("reachability through andreasm-720xp-home");
        browser.screenshot(Screens.file("verify-reach"));

        browser.find(By.linkText("trace")).click();
        browser.find(By.id("p-src"));
        assertThat(browser.driver().findElements(By.cssSelector(".field-error, #analysis-error"))).as("an empty trace form is no mistake")
                .isEmpty();
        browser.find(By.id("p-src")).sendKeys("172.18.6.20");
        browser.find(By.id("p-dst")).sendKeys("10.100.99.300");
        browser.find(By.id("p-proto")).sendKeys("tcp");
        browser.find(By.id("p-dport")).sendKeys("80");
        browser.find(By.id("analyse")).click();
        assertThat(browser.find(By.cssSelector("#p-dst ~ .field-error")).getText()).contains("'10.100.99.300' is not a single IPv4 or IPv6 address");
        browser.find(By.id("p-dst")).clear();
        browser.find(By.id("p-dst")).sendKeys("10.100.99.51");
        browser.find(By.id("analyse")).click();
        assertThat(browser.find(By.cssSelector("table[data-table=traces] td[data-key=rule]")).getText()).isEqualTo("clients_to_webservers");
        assertThat(browser.path()).as("the answer is a link to share")
                .isEqualTo("/versions/1/verify/trace?src=172.18.6.20&dst=10.100.99.51&proto=tcp&sport=&dport=80&icmp-type=&icmp-code=&device=&vrf=");
        browser.screenshot(Screens.file("verify-trace"));

        // the first version has nothing to compare with by default: said at the field, not hidden as an empty form
        browser.find(By.linkText("diff")).click();
        assertThat(browser.find(By.cssSelector("#p-against ~ .field-error")).getText()).contains("version 1 is the first version");
    }

    @Test
    @Order(1)
    void aWorkspaceIsVerifiedAsItIsNow() {
        long id = harness.admin.post("/api/workspaces", "{\"name\": \"mgmt-ssh\"}").json().path("id").asLong();
        String ws = "/api/workspaces/" + id;
        Map<String, String> seed = SeedLab.files();
        assertThat(harness.admin.put(ws + "/files/objects.yaml", SeedLab.withNewGroup(seed.get("objects.yaml")), "application/yaml")
                .status()).isEqualTo(200);
        assertThat(harness.admin.put(ws + "/files/policies.yaml", SeedLab.withNewRule(seed.get("policies.yaml")), "application/yaml")
                .status()).isEqualTo(200);
        browser.go("/verify");
        browser.find(By.cssSelector("#verify-workspaces a[href='/workspaces/" + id + "/verify/diff']")).click();
        browser.awaitHeading("Verification of workspace mgmt-ssh");
        // the new rule lets the management host's SSH reach appserver1, which the seed dropped
        List<WebElement> decided = browser.driver().findElements(By.cssSelector(".answer dd[data-key=decidedAfter]"));
        assertThat(decided).extracting(WebElement::getText).anyMatch(t -> t.contains("mgmt-ssh-to-appserver1"));
        assertThat(browser.find(By.id("island")).getText()).contains("mgmt-ssh");
    }

    @Test
    @Order(1)
    void aLongPolicysRulesPage() {
        long id = harness.admin.post("/api/workspaces", "{\"name\": \"long\"}").json().path("id").asLong();
        StringBuilder rules = new StringBuilder("    rules:\n");
        IntStream.range(0, 250).forEach(i -> rules.append("      - {name: many").append(i)
                .append(", destinations: [web01_web02], services: [HTTP], action: drop}\n"));
        String policies = SeedLab.files().get("policies.yaml").replaceFirst("    rules:\n", rules.toString());
        assertThat(harness.admin.put("/api/workspaces/" + id + "/files/policies.yaml", policies, "application/yaml").status()).isEqualTo(200);
        String path = "/workspaces/" + id + "/policies/vrf_all_home/rules";
        browser.go(path);
        assertThat(browser.driver().findElements(By.cssSelector("#rules tbody tr"))).hasSize(PolicyManager.RULES_PER_PAGE);
        browser.go(path + "?page=3");
        browser.await("the last page", d -> d.findElement(By.cssSelector("main p")).getText().contains("rules 201–257 of 257"));
        List<String> last = browser.attributes("#rules tbody tr", "rule");
        assertThat(last).hasSize(57).startsWith("many200").endsWith("drop_all_else_web-app");
    }

    @Test
    @Order(1)
    void theFlowMapShowsEdgesByVerdictAndRuleAndAnEdgesSessions() {
        browser.go("/flows?since=1h");

        // by the seed's zone category: wifi clients (zone campus) to web01 and web02 (zone web-app), the rule that allows it
        browser.find(By.id("f-by")).sendKeys("zone");
        browser.find(By.id("filter")).click();
        browser.await("the map by zone", d -> d.getCurrentUrl().contains("by=zone"));
        WebElement byZone = browser.find(By.cssSelector("#edges tr[data-rule='clients_to_webservers']"));
        assertThat(byZone.getText()).startsWith("zone=campus zone=web-app forward clients_to_webservers");
        byZone.findElement(By.tagName("a")).click();
        browser.awaitHeading("Collected sessions");
        assertThat(browser.driver().findElements(By.cssSelector("#sessions tbody tr"))).hasSize(1);
        browser.go("/flows?since=1h");
        browser.awaitHeading("Flow map");
        browser.await("the graph drawn by ECharts", d -> !d.findElements(By.cssSelector("#flow-graph svg path")).isEmpty());
        assertThat(browser.find(By.id("map-summary")).getText()).startsWith((CollectorServeTest.TRAFFIC.size() + LOOKUPS) + " sessions");
        assertThat(browser.attributes("#edges tbody tr", "rule")).contains("clients_to_webservers", "allow_all_DNS",
                "drop_all_else_web-app");
        WebElement dropped = browser.find(By.cssSelector("#edges tr[data-rule='drop_all_else_web-app']"));
        assertThat(dropped.getAttribute("data-verdict")).isEqualTo("drop");
        browser.screenshot(Screens.file("flow-map"));
        // the graph's data as JSON, for scripts: the same edges as the table
        browser.go("/flows/map.json?since=1h");
        JsonNode graph = Json.read(browser.find(By.tagName("pre")).getText());
        assertThat(graph.path("sessions").asInt()).isEqualTo(CollectorServeTest.TRAFFIC.size() + LOOKUPS);
        assertThat(graph.path("edges").findValuesAsString("rule")).contains("clients_to_webservers", "allow_all_DNS");
        browser.go("/flows?since=1h");

        browser.find(By.cssSelector("#edges tr[data-rule='clients_to_webservers'] a")).click();
        browser.awaitHeading("Collected sessions");
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#sessions tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().getText()).contains("172.18.6.20:50002").contains("10.100.99.51:80");
        rows.getFirst().findElement(By.cssSelector("a.why")).click();
        browser.awaitHeading("Verification of version 1");
        assertThat(browser.find(By.cssSelector("table[data-table=traces] td[data-key=rule]")).getText()).isEqualTo("clients_to_webservers");

        browser.go("/flows");
        browser.find(By.id("t-src")).sendKeys("10.100.99.51");
        browser.find(By.id("t-dst")).sendKeys("10.100.99.52");
        browser.find(By.id("t-dport")).sendKeys("80");
        browser.find(By.id("trace")).click();
        assertThat(browser.find(By.cssSelector("table[data-table=traces] td[data-key=rule]")).getText())
                .isEqualTo("drop_http_between_webservers");
    }

    /**
     * A click on the graph's busiest edge, where ECharts drew it (its curve's middle, once the force
     * layout stopped moving), opens that edge's sessions: only sessions its rule decided.
     */
    @Test
    @Order(1)
    void clickingAnEdgeOfTheGraphOpensItsSessions() {
        browser.go("/flows?since=1h");
        browser.awaitHeading("Flow map");
        WebElement graph = browser.find(By.id("flow-graph"));
        List<Object> last = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Object> edge = browser.await("the force layout at rest", d -> {
            List<Object> now = (List<Object>) ((JavascriptExecutor) browser.driver()).executeScript(BUSIEST_EDGE_MIDDLE);
            boolean still = now != null && now.equals(last);
            last.clear();
            if (now != null) {
                last.addAll(now);
            }
            return still ? now : null;
        });
        int x = ((Number) edge.get(0)).intValue() - graph.getSize().getWidth() / 2;
        int y = ((Number) edge.get(1)).intValue() - graph.getSize().getHeight() / 2;
        String link = (String) edge.get(2);
        String rule = (String) edge.get(3);
        new Actions(browser.driver()).moveToElement(graph, x, y).click().perform();
        browser.awaitHeading("Collected sessions");
        assertThat(browser.path()).isEqualTo(link);
        assertThat(browser.attributes("#sessions tbody tr", "rule")).isNotEmpty().containsOnly(rule);
    }

    /** The busiest edge of the graph: the pixel in the middle of its curve, its sessions' link and its rule. */
    private static final String BUSIEST_EDGE_MIDDLE = """
            const el = document.getElementById('flow-graph');
            el.scrollIntoView({block: 'center'});
            const chart = echarts.getInstanceByDom(el);
            let busiest = null;
            chart.getModel().getSeriesByIndex(0).getGraph().eachEdge((e) => {
              if (!busiest || e.getModel().get('sessions') > busiest.getModel().get('sessions')) busiest = e;
            });
            const [a, b, c] = busiest.getLayout();
            const control = c || [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
            const middle = [0, 1].map((k) => (a[k] + 2 * control[k] + b[k]) / 4);
            const pixel = chart.convertToPixel({seriesIndex: 0}, middle);
            return [Math.round(pixel[0]), Math.round(pixel[1]), busiest.getModel().get('link'), busiest.getModel().get('rule')];
            """;

    @Test
    @Order(1)
    void collectedSessionsFilterAndPage() {
        browser.go("/flows/sessions");
        browser.awaitHeading("Collected sessions");
        assertThat(browser.driver().findElements(By.cssSelector("#sessions tbody tr"))).hasSize(FlowPages.SESSIONS_PER_PAGE);
        browser.find(By.id("next-page")).click();
        browser.await("the second page", d -> d.getCurrentUrl().contains("page=2"));
        assertThat(browser.driver().findElements(By.cssSelector("#sessions tbody tr")))
                .hasSize(CollectorServeTest.TRAFFIC.size() + LOOKUPS - FlowPages.SESSIONS_PER_PAGE);
        assertThat(browser.driver().findElements(By.id("next-page"))).isEmpty();

        browser.find(By.id("f-port")).sendKeys("22");
        browser.find(By.id("filter")).click();
        browser.await("sessions to port 22", d -> d.getCurrentUrl().contains("port=22"));
        // the management host's SSH is dropped by the rule's reverse match: the rule is named, not the match
        assertThat(browser.attributes("#sessions tbody tr", "rule")).containsExactlyInAnyOrder("ssh_to_web-app_servers",
                "ipv4-all-default", "drop_all_else_web-app");
        browser.screenshot(Screens.file("sessions"));

        browser.go("/flows/sessions?port=http");
        browser.awaitHeading("Refused (400)");
        assertThat(browser.find(By.cssSelector("main .error")).getText()).contains("port").contains("'http'");
    }

    @Test
    @Order(2) // last: a new version re-tags the sessions and moves the newest approved version
    void aChangeControlThatRanOffersARollback() {
        Map<String, String> files = new java.util.TreeMap<>(SeedLab.files());
        files.put("objects.yaml", SeedLab.withNewGroup(files.get("objects.yaml")));
        files.put("policies.yaml", SeedLab.withNewRule(files.get("policies.yaml")));
        // the new rule allows an observed session (mgmt's SSH): the import, like the rollback, acknowledges that
        Http.Response imported = harness.admin.post("/api/versions", Json.write(Map.of("message", "new rule", "files", files,
                "acknowledgeBreaks", true)));
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        long cc = imported.json().path("changeControl").path("id").asLong();
        assertThat(harness.bob.post("/api/change-controls/" + cc + "/approve", "").status()).isEqualTo(200);
        // no device is bound to a target: each is skipped, and the run succeeds
        Http.Response ran = harness.bob.post("/api/change-controls/" + cc + "/run?wait=true", "");
        assertThat(ran.json().path("state").asString()).as(ran.body()).isEqualTo("succeeded");
        browser.go("/change-controls/" + cc);
        browser.find(By.id("rollback-message")).sendKeys("the new rule was a mistake");
        browser.find(By.id("rollback-acknowledge-breaks")).click();
        browser.find(By.id("rollback")).click();
        browser.await("the rollback's change control", d -> d.findElement(By.id("cc-state")).getText().equals("pending-approval"));
        assertThat(browser.find(By.cssSelector("main p")).getText()).contains("roll back to version 1: the new rule was a mistake");
        assertThat(browser.find(By.id("breakset")).getText()).contains("acknowledged by admin", "newly blocked", "-> 10.100.99.50:22 tcp");
    }
}
