package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.api.Json;
import dev.septum.server.build.PolicyFiles;
import dev.septum.verify.analysis.Parameters;
import dev.septum.verify.analysis.TraceAnalysis;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * trace, check, reach and diff over REST, on a stored version and on a workspace, on both
 * databases: the answer is the analysis function's own shape (the one {@code septum ... -o json}
 * prints), readable by a viewer, and every parameter a caller can get wrong is a 400 naming it.
 */
class AnalysisApiTest {
    private static final String DEVICE = "andreasm-720xp-home";
    private static final String SSH_WEB01_TO_WEB02 = "src=10.100.99.51&dst=10.100.99.52&proto=tcp&dport=22";

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void analysesOfAVersionAndAWorkspace(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            long version = h.admin.post("/api/versions", SeedLab.importBody()).json().path("version").path("id").asLong();
            Http viewer = viewer(h);
            String v = "/api/versions/" + version + "/analyses/";

            Http.Response trace = viewer.get(v + "trace?" + SSH_WEB01_TO_WEB02);
            assertThat(trace.status()).as(trace.body()).isEqualTo(200);
            JsonNode traced = trace.json();
            assertThat(traced.path("kind").asString()).isEqualTo("trace");
            assertThat(traced.path("subject").path("policy").asString()).isEqualTo("version " + version);
            JsonNode row = traced.path("tables").get(0).path("rows").get(0);
            assertThat(row.path("device").asString()).isEqualTo(DEVICE);
            assertThat(row.path("verdict").asString()).isEqualTo("drop");
            assertThat(row.path("rule").asString()).isEqualTo("drop_all_else_web-app");
            // the very function the CLI calls, on the same files: the same answer, field for field
            SequencedMap<String, String> flow = new LinkedHashMap<>(Map.of("src", "10.100.99.51", "dst", "10.100.99.52",
                    "proto", "tcp", "dport", "22"));
            assertThat(traced).isEqualTo(Json.read(Json.write(TraceAnalysis.of(PolicyFiles.build(SeedLab.files()),
                    "version " + version, new Parameters(flow), Optional.empty()).tree())));

            JsonNode check = viewer.get(v + "check?min-level=warning").json();
            assertThat(check.path("tables").get(0).path("rows").findValuesAsString("kind")).contains("stateless-reverse")
                    .doesNotContain("enforcement-gap", "unused");
            assertThat(check.path("tables").get(0).path("columns").findValuesAsString("key"))
                    .containsExactly("level", "kind", "where", "subject", "message", "related", "example");

            JsonNode reach = viewer.get(v + "reach?device=" + DEVICE + "&vrf=ALL").json();
            assertThat(reach.path("subject").path("device").asString()).isEqualTo(DEVICE);
            assertThat(cells(reach, "source", "destination", "otherTraffic")).contains("wifi_clients web01_web02 none",
                    "(outside every group) web01_web02 none");

            JsonNode same = viewer.get(v + "diff?against=" + version).json();
            assertThat(same.path("tables").get(0).path("rows").size()).isZero();
            assertThat(same.path("notes").findValuesAsString("text")).contains("no packet changes verdict");

            // a workspace is analysed as its files are now, and diffed against its base version
            long id = h.admin.post("/api/workspaces", "{\"name\": \"ssh\"}").json().path("id").asLong();
            String ws = "/api/workspaces/" + id;
            Map<String, String> seed = SeedLab.files();
            // the same questions before the edits: the answers kept for the unedited workspace are not the edited one's
            String mgmtSsh = ws + "/analyses/trace?src=10.100.5.10&dst=10.100.99.50&proto=tcp&dport=22";
            JsonNode unedited = viewer.get(mgmtSsh).json().path("tables").get(0).path("rows").get(0);
            assertThat(unedited.path("verdict").asString()).as(unedited.toString()).isEqualTo("drop");
            assertThat(viewer.get(ws + "/analyses/diff").json().path("tables").get(0).path("rows").size()).isZero();
            assertThat(h.admin.put(ws + "/files/objects.yaml", SeedLab.withNewGroup(seed.get("objects.yaml")), "application/yaml").status())
                    .isEqualTo(200);
            assertThat(h.admin.put(ws + "/files/policies.yaml", SeedLab.withNewRule(seed.get("policies.yaml")), "application/yaml")
                    .status()).isEqualTo(200);
            JsonNode mgmt = viewer.get(mgmtSsh).json();
            assertThat(mgmt.path("tables").get(0).path("rows").get(0).path("rule").asString()).isEqualTo("mgmt-ssh-to-appserver1");
            assertThat(mgmt.path("subject").path("policy").asString()).isEqualTo("workspace ssh (" + id + ")");

            Http.Response diff = viewer.get(ws + "/analyses/diff");
            assertThat(diff.status()).as(diff.body()).isEqualTo(200);
            JsonNode changes = diff.json().path("tables").get(0);
            assertThat(cells(diff.json(), "kind", "cell")).contains("newly allowed linuxmgmt10 -> appserver1, SSH");
            assertThat(changes.path("rows").get(0).path("example").asString()).startsWith("10.100.5.10");
            assertThat(diff.json().path("subject").path("before").asString()).isEqualTo("version " + version);
            JsonNode configs = diff.json().path("tables").get(1);
            assertThat(configs.path("name").asString()).isEqualTo("configs");
            assertThat(configs.path("rows").get(0).path("diff").toString()).contains("match mgmt-ssh-to-appserver1 ipv4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void everyParameterIsCheckedAndNamedWithItsFix(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            long version = h.admin.post("/api/versions", SeedLab.importBody()).json().path("version").path("id").asLong();
            String v = "/api/versions/" + version + "/analyses/";
            String flow = "trace?" + SSH_WEB01_TO_WEB02;

            refused(h.admin.get(v + "trace?dst=10.100.99.52&proto=tcp&dport=22"), "src", "is missing");
            refused(h.admin.get(v + "trace?src=10.0.0.300&dst=10.100.99.52&proto=tcp&dport=22"), "src",
                    "'10.0.0.300' is not a single IPv4 or IPv6 address");
            refused(h.admin.get(v + "trace?src=10.0.0.1&dst=2001:db8::1&proto=tcp&dport=22"), "dst", "but the source address is IPv4");
            refused(h.admin.get(v + "trace?src=10.0.0.1&dst=10.0.0.2&proto=tpc&dport=22"), "proto", "'tpc' is not a protocol");
            refused(h.admin.get(v + "trace?src=10.0.0.1&dst=10.0.0.2&proto=tcp&dport=70000"), "dport", "from 0 to 65535");
            refused(h.admin.get(v + "trace?src=10.0.0.1&dst=10.0.0.2&proto=tcp"), "dport", "is needed for tcp");
            refused(h.admin.get(v + "trace?src=10.0.0.1&dst=10.0.0.2&proto=icmp&sport=5"), "sport", "means nothing for icmp");
            refused(h.admin.get(v + "trace?src=10.0.0.1&dst=10.0.0.2&proto=icmp&icmp-type=echo"), "icmp-type", "echo-request");
            refused(h.admin.get(v + "trace?src=10.0.0.1&dst=10.0.0.2&proto=tcp&dport=22&icmp-code=1"), "icmp-code",
                    "only for icmp and icmpv6");
            refused(h.admin.get(v + flow + "&vrf=AL"), "vrf", "did you mean 'ALL'?");
            refused(h.admin.get(v + flow + "&device=andreasm-720xp"), "device", "did you mean '" + DEVICE + "'?");
            refused(h.admin.get(v + flow + "&dev=" + DEVICE), "dev", "did you mean 'device'?");
            refused(h.admin.get(v + flow + "&vrf=ALL&vrf=ALL"), "vrf", "give it once");
            refused(h.admin.get(v + flow + "&vrf=" + "x".repeat(300)), "vrf", "shorter");
            refused(h.admin.get(v + "reach?vrf=blue"), "vrf", "enforced VRFs: ALL");
            refused(h.admin.get(v + "check?min-level=loud"), "min-level", "use error, warning, info");
            refused(h.admin.get(v + "check?device=x"), "device", "use only min-level");
            // the first version has no parent (its stored parent_id is NULL, not version 0), so a diff must name one
            assertThat(h.admin.get("/api/versions/" + version).json().path("parent").isNull()).isTrue();
            refused(h.admin.get(v + "diff"), "against", "has no parent");
            refused(h.admin.get(v + "diff?against=first"), "against", "numeric id");
            refused(h.admin.get(v + "diff?against=99"), "against", "GET /api/versions");
            refused(h.admin.get("/api/versions/abc/analyses/check"), "id", "numeric id");
            assertThat(h.admin.get("/api/versions/99/analyses/check").status()).isEqualTo(404);
            assertThat(h.anonymous.get(v + "check").status()).isEqualTo(401);

            // the OpenAPI document lists each route with its query parameters and the answer's schema
            JsonNode doc = h.anonymous.get("/openapi.json").json();
            JsonNode route = doc.path("paths").path("/api/workspaces/{id}/analyses/trace").path("get");
            assertThat(route.path("x-septum-role").asString()).isEqualTo("viewer");
            assertThat(route.path("parameters").findValuesAsString("name")).contains("id", "src", "dst", "proto", "sport", "dport",
                    "icmp-type", "icmp-code", "device", "vrf");
            assertThat(route.path("responses").path("200").toString()).contains("#/components/schemas/Analysis");
            assertThat(doc.path("paths").path("/api/versions/{id}/analyses/diff").path("get").path("parameters")
                    .findValuesAsString("name")).contains("against");
            assertThat(doc.path("components").path("schemas").path("Analysis").path("properties").propertyNames())
                    .contains("kind", "title", "subject", "tables", "notes");

            // work in progress with errors is stored, but not analysed: the answer lists the diagnostics
            long id = h.admin.post("/api/workspaces", "{\"name\": \"wip\"}").json().path("id").asLong();
            String ws = "/api/workspaces/" + id;
            assertThat(h.admin.put(ws + "/files/extra.yaml?allowErrors=true", "groups: [{name: g, prefixes: [10.0.0.300]}]\n",
                    "application/yaml").status()).isEqualTo(200);
            Http.Response broken = h.admin.get(ws + "/analyses/check");
            refused(broken, "id", "analyses need a policy without errors");
            assertThat(broken.json().path("diagnostics").toString()).contains("extra.yaml");
        }
    }

    private static Http viewer(ServerHarness h) {
        Http.Response created = h.admin.post("/api/users", "{\"name\": \"vic\", \"role\": \"viewer\", \"password\": \"viewer-password-1\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return h.anonymous.basic("vic", "viewer-password-1");
    }

    /** Each row of the first table as its values under {@code keys}, joined by spaces. */
    private static List<String> cells(JsonNode analysis, String... keys) {
        return analysis.path("tables").get(0).path("rows").valueStream()
                .map(r -> String.join(" ", java.util.Arrays.stream(keys).map(k -> r.path(k).asString()).toList())).toList();
    }

    private static void refused(Http.Response r, String field, String inProblemOrFix) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode error = r.json().path("error");
        assertThat(error.path("field").asString()).as(r.body()).isEqualTo(field);
        assertThat(error.path("problem").asString() + " " + error.path("fix").asString()).as(r.body()).contains(inProblemOrFix);
    }
}
