package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.api.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11's findings replayed against a real server on loopback, on SQLite and PostgreSQL, each
 * as the outside user who found it would try it (the numbers are the issue's). Every test here
 * failed on the code before the approval gate. What held then and must keep holding is asserted
 * in {@link #protectedRoutesRefuseWithoutAToken} and {@link #f3AuthorsAndSubmitterCannotApprove}
 * (self-approval), and elsewhere: WorkspaceWorkflowTest (If-Match races), CrashRecoveryTest (kill
 * -9 mid-deploy), WalkthroughTest and PersistenceTest (no secret in the audit log or the database).
 */
class SecurityFindingsTest {
    private static final String CAROL_PASSWORD = "carol-test-password-1";

    @TempDir
    Path dataDir;

    /** 1. Drift repair deployed a version still pending approval. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void f1DriftRepairNeverDeploysAPendingVersion(String db) {
        try (Namespaces netns = Namespaces.requireRoot(); ServerHarness h = new ServerHarness(db, dataDir)) {
            String router = netns.create("f1");
            importSeed(h);
            DeployTestSupport.bindNamespace(h, "andreasm-720xp-home", router);
            String repair = "/api/devices/andreasm-720xp-home/drift/repair";
            assertThat(h.bob.post(repair, "").status()).isEqualTo(200);

            JsonNode cc = submitNewRule(h, "f1");
            assertThat(cc.path("state").asString()).isEqualTo("pending-approval");
            Http.Response again = h.admin.post(repair, "");
            // the device runs the approved version: nothing to repair, and the pending rule is not deployed
            assertThat(again.status()).as(again.body()).isEqualTo(409);
            assertThat(netns.nft(router, "list", "table", "inet", "septum")).doesNotContain("mgmt-ssh-to-appserver1");
            assertThat(h.admin.get("/api/devices/andreasm-720xp-home/drift").json().path("version").asLong()).isEqualTo(1);
        }
    }

    /** 2. A new workspace started from a pending version, so an approved change deployed the pending one underneath. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void f2NewWorkspacesAndTheirVersionsHoldNoPendingChange(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            importSeed(h);
            submitNewRule(h, "pending-rule");
            long ws = workspace(h, "other");
            assertThat(h.admin.get("/api/workspaces/" + ws).json().path("baseVersion").asLong()).isEqualTo(1);
            assertThat(h.admin.get("/api/workspaces/" + ws + "/files/policies.yaml").body()).doesNotContain("mgmt-ssh-to-appserver1");
            put(h, ws, "policies.yaml", SeedLab.files().get("policies.yaml").replace("description: drop HTTP", "description: drop HTTP (f2)"));
            assertThat(h.admin.post("/api/workspaces/" + ws + "/build", "").status()).isEqualTo(200);
            JsonNode cc = h.admin.post("/api/workspaces/" + ws + "/submit", "{}").json();
            String review = h.bob.get("/api/change-controls/" + cc.path("id").asLong() + "/review").body();
            assertThat(review).doesNotContain("mgmt-ssh-to-appserver1");
            assertThat(h.bob.post("/api/change-controls/" + cc.path("id").asLong() + "/approve", "").status()).isEqualTo(200);
            assertThat(h.admin.get("/api/versions/" + cc.path("version").asLong() + "/files/policies.yaml").body())
                    .contains("(f2)").doesNotContain("mgmt-ssh-to-appserver1");
        }
    }

    /** 3. Four eyes compared only submitter and approver: the author of every edit could approve. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void f3AuthorsAndSubmitterCannotApprove(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            importSeed(h);
            Http carol = user(h, "carol", "approver", CAROL_PASSWORD);
            long ws = workspace(h, "carols-change");
            Http.Response edit = carol.put("/api/workspaces/" + ws + "/files/objects.yaml",
                    SeedLab.withNewGroup(SeedLab.files().get("objects.yaml")), "application/yaml");
            assertThat(edit.status()).as(edit.body()).isEqualTo(200);
            assertThat(h.admin.post("/api/workspaces/" + ws + "/build", "").status()).isEqualTo(200);
            long id = h.admin.post("/api/workspaces/" + ws + "/submit", "{}").json().path("id").asLong();

            Http.Response byAuthor = carol.post("/api/change-controls/" + id + "/approve", "");
            assertThat(byAuthor.status()).as(byAuthor.body()).isEqualTo(403);
            assertThat(byAuthor.json().path("error").path("problem").asString()).contains("edited by carol");
            assertThat(h.admin.post("/api/change-controls/" + id + "/approve", "").status()).as("self-approval").isEqualTo(403);
            JsonNode approved = h.bob.post("/api/change-controls/" + id + "/approve", "").json();
            assertThat(approved.path("approvedBy").asString()).isEqualTo("bob");
            assertThat(approved.path("approvedHash").asString()).hasSize(64)
                    .isEqualTo(h.admin.get("/api/workspaces/" + ws + "/build").json().path("hash").asString());
        }
    }

    /** 4. Access could not be revoked: no disable, delete, role change or token revocation; tokens never expired. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void f4AccessCanBeRevoked(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            Http carol = user(h, "carol", "editor", CAROL_PASSWORD);
            // only admins mint tokens for others
            assertThat(carol.post("/api/tokens", "{\"user\": \"bob\"}").status()).isEqualTo(403);
            JsonNode minted = h.admin.post("/api/tokens", "{\"user\": \"carol\", \"label\": \"for carol\", \"days\": 7}").json();
            Http carolToken = h.anonymous.bearer(minted.path("token").asString());
            assertThat(carolToken.get("/api/me").json().path("name").asString()).isEqualTo("carol");

            // every token expires, and its owner lists and revokes it
            JsonNode tokens = carol.get("/api/tokens").json().path("tokens");
            assertThat(tokens.size()).isEqualTo(1);
            assertThat(java.time.Instant.parse(tokens.get(0).path("expiresAt").asString()))
                    .isBefore(java.time.Instant.now().plus(java.time.Duration.ofDays(8)));
            String id = tokens.get(0).path("id").asString();
            assertThat(carol.send("DELETE", "/api/tokens/" + id, null, Map.of()).status()).isEqualTo(200);
            assertThat(carolToken.get("/api/me").status()).isEqualTo(401);

            // role change, disable and delete take effect at once, tokens included
            assertThat(h.admin.put("/api/users/bob", "{\"role\": \"viewer\"}", "application/json").status()).isEqualTo(200);
            assertThat(h.bob.get("/api/me").json().path("role").asString()).isEqualTo("viewer");
            assertThat(h.admin.put("/api/users/bob", "{\"state\": \"disabled\"}", "application/json").status()).isEqualTo(200);
            assertThat(h.bob.get("/api/me").status()).isEqualTo(401);
            assertThat(h.anonymous.basic("bob", TestUsers.BOB_PASSWORD).get("/api/me").status()).isEqualTo(401);
            assertThat(h.admin.send("DELETE", "/api/users/carol", null, Map.of()).status()).isEqualTo(200);
            assertThat(carol.get("/api/me").status()).isEqualTo(401);
            assertThat(h.admin.post("/api/users", "{\"name\": \"carol\", \"role\": \"admin\", \"password\": \"another-password-12\"}")
                    .status()).as("a deleted name is never reused").isEqualTo(409);
            assertThat(h.admin.get("/api/audit?limit=500").body()).contains("user carol");
            assertThat(h.admin.send("DELETE", "/api/users/admin", null, Map.of()).status()).as("the last admin stays").isEqualTo(409);
        }
    }

    /** 5. Unbounded text from the lowest role: a 7 MiB token label, a 1 MiB change message. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void f5EveryTextFieldHasALimit(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            importSeed(h);
            Http viewer = user(h, "vera", "viewer", CAROL_PASSWORD);
            String label = "x".repeat(7 * 1024 * 1024);
            Http.Response token = viewer.post("/api/tokens", Json.write(Map.of("label", label)));
            assertThat(token.status()).isIn(400, 413);
            assertThat(token.json().path("error").path("problem").asString()).isNotBlank();

            long ws = workspace(h, "long-message");
            put(h, ws, "objects.yaml", SeedLab.withNewGroup(SeedLab.files().get("objects.yaml")));
            assertThat(h.admin.post("/api/workspaces/" + ws + "/build", "").status()).isEqualTo(200);
            Http.Response submit = h.admin.post("/api/workspaces/" + ws + "/submit", Json.write(Map.of("message", "m".repeat(1024 * 1024))));
            assertThat(submit.status()).as(submit.body()).isEqualTo(400);
            assertThat(submit.json().path("error").path("field").asString()).isEqualTo("message");
            assertThat(h.admin.get("/api/audit?limit=1000").body().length()).isLessThan(1024 * 1024);
        }
    }

    /** 6. No brute-force throttling: 400 wrong passwords, all 401, none 429. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void f6WrongPasswordsAreThrottled(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            Http wrong = h.anonymous.basic("admin", "not-the-password");
            Http.Response last = null;
            for (int i = 0; i < 40 && (last == null || last.status() != 429); i++) { // bounded: the limit is 10 per user
                last = wrong.get("/api/me");
            }
            assertThat(last.status()).isEqualTo(429);
            assertThat(last.headers().get("retry-after")).isNotEmpty();
            assertThat(last.json().path("error").path("fix").asString()).contains("Retry-After");
            // tokens are not throttled: the admin's own scripts keep working
            assertThat(h.admin.get("/api/me").status()).isEqualTo(200);
        }
    }

    /** 7. CSRF: a Basic challenge on 401 and JSON accepted as text/plain let a cross-site form create a user. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void f7NoBasicChallengeJsonOnlyAndSessionsNeedTheCsrfToken(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            Http.Response anonymous = h.anonymous.get("/api/me");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.headers()).doesNotContainKey("www-authenticate");
            String user = "{\"name\": \"mallory\", \"role\": \"admin\", \"password\": \"mallory-password-1\"}";
            Http.Response form = h.admin.send("POST", "/api/users", user, Map.of("Content-Type", "text/plain"));
            assertThat(form.status()).isEqualTo(415);
            assertThat(h.admin.get("/api/users").body()).doesNotContain("mallory");

            Http.Response login = h.anonymous.post("/api/session", "{\"name\": \"admin\", \"password\": \"" + TestUsers.ADMIN_PASSWORD + "\"}");
            assertThat(login.status()).as(login.body()).isEqualTo(200);
            String cookie = login.headers().get("set-cookie").getFirst();
            assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
            String session = cookie.substring(0, cookie.indexOf(';'));
            String csrf = login.json().path("csrfToken").asString();
            assertThat(h.anonymous.send("GET", "/api/me", null, Map.of("Cookie", session)).status()).isEqualTo(200);
            Http.Response noToken = h.anonymous.send("POST", "/api/users", user, Map.of("Cookie", session, "Content-Type", "application/json"));
            assertThat(noToken.status()).isEqualTo(403);
            Http.Response withToken = h.anonymous.send("POST", "/api/users", user,
                    Map.of("Cookie", session, "Content-Type", "application/json", "X-CSRF-Token", csrf));
            assertThat(withToken.status()).as(withToken.body()).isEqualTo(201);
        }
    }

    /** 8. The smaller findings, one assertion each. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void f8SmallerFindings(String db) throws Exception {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            importSeed(h);
            long ws = workspace(h, "deep");
            // YAML nested 5,000 deep: a JSON 400 naming the limit, not a 500 with an empty body
            Http.Response deep = h.admin.put("/api/workspaces/" + ws + "/files/deep.yaml", "a: " + "[".repeat(5000) + "]".repeat(5000),
                    "application/yaml");
            assertThat(deep.status()).as(deep.body()).isEqualTo(400);
            assertThat(deep.json().path("error").path("problem").asString()).contains("deeper than");
            // over the body limit: 413 as JSON
            Http.Response huge = h.admin.post("/api/versions", "{\"files\": {\"a.yaml\": \"" + "x".repeat(9 * 1024 * 1024) + "\"}}");
            assertThat(huge.status()).isEqualTo(413);
            assertThat(huge.json().path("error").path("status").asInt()).isEqualTo(413);
            // Jetty's own 400 (a malformed header) as JSON
            String raw = rawRequest(h.server.port(), "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n");
            assertThat(raw).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/json").contains("\"error\"");
            // a deploy target must name a device of the model
            Http.Response traversal = h.admin.put("/api/targets/..%2F..%2Fetc", "{\"driver\": \"nftables\", \"namespace\": \"x\"}",
                    "application/json");
            assertThat(traversal.status()).isIn(400, 404);
            assertThat(h.admin.get("/api/targets").body()).doesNotContain("etc");
            // a credential variable must be one of Septum's own
            Http.Response env = h.admin.put("/api/targets/andreas-ztx1", Json.write(Map.of("driver", "nftables-ssh", "ssh", "septum@fw1",
                    "auth", "password", "credentialsEnv", "PATH")), "application/json");
            assertThat(env.status()).isEqualTo(400);
            assertThat(env.json().path("error").path("field").asString()).isEqualTo("credentialsEnv");
            // HEAD is authenticated like GET
            assertThat(h.anonymous.send("HEAD", "/api/users", null, Map.of()).status()).isEqualTo(401);
            // lists paginate
            JsonNode page = h.admin.get("/api/versions?limit=1").json();
            assertThat(page.path("versions").size()).isEqualTo(1);
            if (db.equals("sqlite")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("septum.db")))).isEqualTo("rw-------");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            }
        }
    }

    /** What held: every protected route refuses a caller without a valid token (401), HEAD included. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite"})
    void protectedRoutesRefuseWithoutAToken(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            Http forged = h.anonymous.bearer("sep_not-a-token");
            int checked = 0;
            for (var e : h.server.endpoints()) {
                if (e.role().isEmpty()) {
                    continue;
                }
                String path = e.path().replace("{id}", "1").replace("{name}", "policies.yaml").replaceAll("\\{[a-z]+}", "x");
                for (Http who : new Http[] {h.anonymous, forged}) {
                    Http.Response r = who.send(e.method().name(), path, null, Map.of());
                    assertThat(r.status()).as(e.method() + " " + e.path()).isEqualTo(401);
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(80);
        }
    }

    private static void importSeed(ServerHarness h) {
        Http.Response r = h.admin.post("/api/versions", SeedLab.importBody());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static long workspace(ServerHarness h, String name) {
        Http.Response r = h.admin.post("/api/workspaces", "{\"name\": \"" + name + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asLong();
    }

    private static void put(ServerHarness h, long ws, String file, String text) {
        Http.Response r = h.admin.put("/api/workspaces/" + ws + "/files/" + file, text, "application/yaml");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    /** The admin's walkthrough rule, submitted and left pending. */
    private static JsonNode submitNewRule(ServerHarness h, String name) {
        long ws = workspace(h, name);
        put(h, ws, "objects.yaml", SeedLab.withNewGroup(SeedLab.files().get("objects.yaml")));
        put(h, ws, "policies.yaml", SeedLab.withNewRule(SeedLab.files().get("policies.yaml")));
        assertThat(h.admin.post("/api/workspaces/" + ws + "/build", "").status()).isEqualTo(200);
        Http.Response cc = h.admin.post("/api/workspaces/" + ws + "/submit", "{}");
        assertThat(cc.status()).as(cc.body()).isEqualTo(201);
        return cc.json();
    }

    private static Http user(ServerHarness h, String name, String role, String password) {
        Http.Response r = h.admin.post("/api/users", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\", \"password\": \"" + password + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return h.anonymous.basic(name, password);
    }

    private static String rawRequest(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
