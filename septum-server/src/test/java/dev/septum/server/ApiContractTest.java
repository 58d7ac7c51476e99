package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.router.ParsedEndpoint;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What every client can rely on: the OpenAPI document lists exactly the routes, and refusals are JSON naming the field. */
class ApiContractTest {
    @TempDir
    Path dataDir;
    ServerHarness h;

    @BeforeEach
    void start() {
        h = new ServerHarness("sqlite", dataDir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void openApiDocumentListsExactlyTheRegisteredRoutes() {
        Http.Response doc = h.anonymous.get("/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        Set<String> documented = new HashSet<>();
        doc.json().path("paths").properties().forEach(path -> path.getValue().propertyNames()
                .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        Set<String> registered = new HashSet<>();
        Set<String> head = new HashSet<>();
        for (ParsedEndpoint e : h.server.javalin().unsafe.internalRouter.allHttpHandlers()) {
            // the web UI's pages (swagger-ui's at /api/docs among them) are HTML, not API routes
            boolean api = e.endpoint.path.startsWith("/api/") && !e.endpoint.path.equals("/api/docs") || e.endpoint.path.equals("/openapi.json")
                    || e.endpoint.path.equals("/metrics");
            if (!api) {
                continue;
            }
            boolean isHead = e.endpoint.method.name().equals("HEAD");
            (isHead ? head : registered).add((isHead ? "GET" : e.endpoint.method.name()) + " " + e.endpoint.path);
        }
        assertThat(documented).isEqualTo(registered).hasSizeGreaterThan(20);
        // every GET route answers HEAD too, through the same authentication
        assertThat(head).isEqualTo(registered.stream().filter(r -> r.startsWith("GET ")).collect(java.util.stream.Collectors.toSet()));

        // and every documented route answers (401 without credentials, not 404)
        for (String route : documented) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replace("{id}", "1").replace("{name}", "policies.yaml")
                    .replace("{device}", "sw1")
                    .replaceAll("\\{[a-z]+}", "x");
            int status = h.anonymous.send(method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}",
                    java.util.Map.of()).status();
            assertThat(status).as(route).isNotIn(404, 405);
        }
    }

    @Test
    void refusalsNameTheFieldAndTheFixAndNeverShowAStackTrace() {
        assertError(h.admin.post("/api/workspaces", "{"), 400, "(body)", "valid JSON");
        assertError(h.admin.post("/api/workspaces", "[1]"), 400, "(body)", "JSON object");
        JsonNode typo = assertError(h.admin.post("/api/workspaces", "{\"nmae\": \"x\"}"), 400, "nmae", "is not a field");
        assertThat(typo.path("error").path("fix").asString()).contains("did you mean 'name'");
        assertError(h.admin.post("/api/workspaces", "{\"name\": 5}"), 400, "name", "must be a string");
        assertError(h.admin.post("/api/workspaces", "{\"name\": \"a b\"}"), 400, "name", "not a workspace name");
        assertError(h.admin.get("/api/workspaces/x"), 400, "id", "not a number");
        assertError(h.admin.get("/api/workspaces/99"), 404, "", "does not exist");
        assertError(h.admin.put("/api/workspaces/1/files/..%2Fetc%2Fpasswd", "x: 1", "application/yaml"), 400, "name",
                "not a policy file name");
        assertError(h.admin.post("/api/users", "{\"name\": \"eve\", \"role\": \"root\", \"password\": \"long-enough-password\"}"),
                400, "role", "not a role");
        assertError(h.admin.post("/api/users", "{\"name\": \"eve\", \"role\": \"viewer\", \"password\": \"short\"}"),
                400, "password", "shorter");
        assertError(h.admin.put("/api/targets/sw1", "{\"driver\": \"telnet\", \"namespace\": \"x\"}", "application/json"),
                400, "driver", "not a deploy driver");
        assertError(h.admin.put("/api/targets/sw1", "{\"driver\": \"nftables\", \"namespace\": \"bad name\"}", "application/json"),
                400, "namespace", "network namespace");
        assertError(h.admin.get("/api/nope"), 404, "path", "not a route");
        // a policy with errors is never stored as a version
        Http.Response bad = h.admin.post("/api/versions", "{\"files\": {\"p.yaml\": \"groups:\\n  - name: g\\n    prefixes: [10.0.0.1/8]\\n\"}}");
        assertError(bad, 400, "files", "error");
        JsonNode hostBits = null;
        for (JsonNode d : bad.json().path("diagnostics")) {
            if (d.path("severity").asString().equals("error")) {
                hostBits = d;
            }
        }
        assertThat(hostBits).isNotNull();
        assertThat(hostBits.path("message").asString()).startsWith("p.yaml:3:").contains("group 'g'", "prefixes");
        assertThat(h.admin.get("/api/versions").json().path("versions").size()).isZero();
    }

    @Test
    void rolesAndCredentialsAreChecked() {
        assertError(h.anonymous.get("/api/workspaces"), 401, "Authorization", "missing");
        assertError(h.anonymous.basic("admin", "wrong").get("/api/workspaces"), 401, "Authorization", "valid");
        assertError(h.anonymous.bearer("sep_forged").get("/api/workspaces"), 401, "Authorization", "valid");
        assertThat(h.admin.post("/api/users", "{\"name\": \"vic\", \"role\": \"viewer\", \"password\": \"viewer-password-1\"}").status())
                .isEqualTo(201);
        Http viewer = h.anonymous.basic("vic", "viewer-password-1");
        assertThat(viewer.get("/api/workspaces").status()).isEqualTo(200);
        assertError(viewer.post("/api/workspaces", "{\"name\": \"w\"}"), 403, "", "needs editor");
        assertError(h.bob.post("/api/users", "{}"), 403, "", "needs admin");
        assertThat(h.anonymous.get("/api/health").json().path("database").asString()).isEqualTo("sqlite");
    }

    private static JsonNode assertError(Http.Response r, int status, String field, String problem) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode body = r.json();
        assertThat(body.path("error").path("field").asString()).as(r.body()).isEqualTo(field);
        assertThat(body.path("error").path("problem").asString()).as(r.body()).contains(problem);
        assertThat(body.path("error").path("fix").asString()).as(r.body()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception", "\tat ", "dev.septum.server.");
        return body;
    }
}
