package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Push tokens, on both databases: an admin creates one limited to named push groups; it pushes to
 * those groups (the push refreshes as an editor's does) and is refused everywhere else, GET routes
 * included; a revoked token is refused; its secret reaches neither the server log nor the audit log.
 */
class PushTokenServerTest {
    private static final String MEMBERS = "{\"members\": [\"198.51.100.20\"]}";

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aPushTokenPushesOnlyToItsGroupsAndNothingElse(String db) throws Exception {
        String policy = DynamicGroupsServerTest.POLICY.replace("source: {kind: file, path: members/web.csv}", "source: {kind: push}");
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new Tee(err, log), true, StandardCharsets.UTF_8));
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            DynamicGroupsServerTest.importPolicy(h, policy);
            Http.Response created = h.admin.post("/api/groups/push-tokens", "{\"name\": \"cmdb\", \"groups\": [\"web\"], \"days\": 7}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String token = created.json().path("token").asString();
            assertThat(token).startsWith("sep_");
            Http cmdb = h.anonymous.bearer(token);

            Http.Response pushed = cmdb.put("/api/groups/web/members", MEMBERS, "application/json");
            assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
            JsonNode refresh = pushed.json().path("refresh");
            assertThat(refresh.path("opened").asBoolean()).as(refresh.toString()).isTrue();
            assertThat(refresh.path("workspace").path("name").asString()).startsWith("members: web (+1 -0) [");
            String audit = h.admin.get("/api/audit").body();
            assertThat(audit).contains("groups.push").contains("push:cmdb").contains("push to group web by push:cmdb")
                    .contains("push-token.create").contains("groups web, expires");

            Http.Response other = cmdb.put("/api/groups/clients/members", MEMBERS, "application/json");
            assertThat(other.status()).as(other.body()).isEqualTo(403);
            assertThat(other.json().path("error").path("problem").asString()).isEqualTo("push:cmdb may not push to group clients; it may push to web");
            assertThat(cmdb.put("/api/groups/nosuch/members", MEMBERS, "application/json").status())
                    .as("a group outside its scope is refused before its existence is told").isEqualTo(403);
            for (String path : new String[] {"/api/me", "/api/versions", "/api/audit", "/api/groups/push-tokens", "/metrics"}) {
                Http.Response read = cmdb.get(path);
                assertThat(read.status()).as(path + ": " + read.body()).isEqualTo(403);
            }
            Http.Response refreshing = cmdb.post("/api/groups/refresh", "");
            assertThat(refreshing.status()).isEqualTo(403);
            assertThat(refreshing.json().path("error").path("problem").asString())
                    .isEqualTo("is a push token: it may only PUT /api/groups/{name}/members for the groups it names");
            assertThat(cmdb.post("/api/groups/push-tokens", "{\"name\": \"more\", \"groups\": [\"clients\"]}").status()).isEqualTo(403);

            JsonNode listed = h.admin.get("/api/groups/push-tokens").json().path("pushTokens");
            assertThat(listed.size()).isEqualTo(1);
            assertThat(listed.get(0).path("name").asString()).isEqualTo("cmdb");
            assertThat(listed.get(0).path("groups").get(0).asString()).isEqualTo("web");
            assertThat(h.admin.post("/api/groups/push-tokens", "{\"name\": \"cmdb\", \"groups\": [\"web\"]}").status()).isEqualTo(409);

            assertThat(h.admin.delete("/api/groups/push-tokens/cmdb").status()).isEqualTo(200);
            assertThat(cmdb.put("/api/groups/web/members", MEMBERS, "application/json").status()).as("revoked").isEqualTo(401);
            assertThat(h.admin.delete("/api/groups/push-tokens/cmdb").status()).isEqualTo(404);
            assertThat(h.admin.get("/api/audit").body()).contains("push-token.revoke").doesNotContain(token);
            assertThat(h.admin.get("/api/groups/push-tokens").body()).doesNotContain(token);
            assertThat(h.bob.put("/api/groups/web/members", "{\"members\": [\"198.51.100.21\"]}", "application/json").status())
                    .as("an editor still pushes").isEqualTo(200);
            System.err.flush();
            assertThat(log.toString(StandardCharsets.UTF_8)).as("the capture holds the server's log").contains("Septum server on")
                    .doesNotContain(token).doesNotContain(token.substring(4));
        } finally {
            System.setErr(err);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aBadPushTokenBodyNamesItsField(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            assertField(h, "{\"groups\": [\"web\"]}", "name", "is missing");
            assertField(h, "{\"name\": \"CMDB tool\", \"groups\": [\"web\"]}", "name", "'CMDB tool' is not a push token name");
            assertField(h, "{\"name\": \"cmdb\"}", "groups", "is missing or empty");
            assertField(h, "{\"name\": \"cmdb\", \"groups\": \"web\"}", "groups", "must be a list of strings");
            assertField(h, "{\"name\": \"cmdb\", \"groups\": [\"a b\"]}", "groups", "'a b' is not a group name");
            assertField(h, "{\"name\": \"cmdb\", \"groups\": [\"" + "g".repeat(200) + "\"]}", "groups", null);
            assertField(h, "{\"name\": \"cmdb\", \"groups\": [\"web\"], \"days\": 0}", "days", null);
            assertField(h, "{\"name\": \"cmdb\", \"groups\": [\"web\"], \"token\": \"x\"}", null, null);
            assertThat(h.bob.post("/api/groups/push-tokens", "{\"name\": \"cmdb\", \"groups\": [\"web\"]}").status())
                    .as("only an admin creates push tokens").isEqualTo(403);
            assertThat(h.admin.get("/api/groups/push-tokens").json().path("pushTokens").size()).isZero();
        }
    }

    private static void assertField(ServerHarness h, String body, String field, String problem) {
        Http.Response r = h.admin.post("/api/groups/push-tokens", body);
        assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
        if (field != null) {
            assertThat(r.json().path("error").path("field").asString()).as(r.body()).isEqualTo(field);
        }
        if (problem != null) {
            assertThat(r.json().path("error").path("problem").asString()).as(r.body()).isEqualTo(problem);
        }
    }

    /** Copies the server's log lines (slf4j-simple writes to System.err) to the console and to a buffer the test reads. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final OutputStream copy;

        Tee(OutputStream console, OutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            console.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            console.write(b, off, len);
            copy.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            console.flush();
        }
    }
}
