package dev.septum.server;

import static dev.septum.server.DynamicGroupsServerTest.POLICY;
import static dev.septum.server.DynamicGroupsServerTest.importPolicy;
import static dev.septum.server.DynamicGroupsServerTest.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The workspaces a group refresh opens, on both databases, with a real member file the test
 * rewrites: each builds and submits from the snapshot its refresh captured, whatever the file says
 * later, and a newer refresh closes an older one nobody touched, never one a person edited or
 * submitted.
 */
class RefreshWorkspacesTest {
    @TempDir
    Path dataDir;

    private static JsonNode refresh(ServerHarness h) {
        Http.Response r = h.admin.post("/api/groups/refresh", "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("opened").asBoolean()).as(r.body()).isTrue();
        return r.json();
    }

    private static String state(ServerHarness h, long ws) {
        return h.admin.get("/api/workspaces/" + ws).json().path("state").asString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRefreshWorkspaceBuildsItsOwnSnapshotAndANewerRefreshSupersedesAnUntouchedOne(String db) throws Exception {
        Path file = Files.createDirectories(dataDir.resolve(SeptumServer.SOURCES_DIR).resolve("members")).resolve("web.csv");
        Files.writeString(file, "address\n198.51.100.10\n");
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            importPolicy(h, POLICY);

            Files.writeString(file, "address\n198.51.100.11\n");
            long a = refresh(h).path("workspace").path("id").asLong();
            Files.writeString(file, "address\n198.51.100.12\n");
            Http.Response rebuilt = h.admin.post("/api/workspaces/" + a + "/build", "");
            assertThat(rebuilt.status()).as(rebuilt.body()).isEqualTo(200);
            assertThat(rebuilt.json().path("devices").get(0).path("diff").asString())
                    .as("the source changed after the refresh; its workspace still builds what the refresh compared")
                    .contains("+        elements = { 198.51.100.11/32 }\n").doesNotContain("198.51.100.12");
            assertThat(rule(h.admin, "/api/workspaces/" + a + "/", "198.51.100.11")).isEqualTo("clients-to-web");
            assertThat(rule(h.admin, "/api/workspaces/" + a + "/", "198.51.100.12")).isEqualTo("rest");

            JsonNode second = refresh(h);
            long b = second.path("workspace").path("id").asLong();
            assertThat(second.path("superseded").toString()).as(second.toString()).contains("\"id\":" + a);
            assertThat(state(h, a)).isEqualTo("closed");
            assertThat(h.admin.get("/api/workspaces/" + a).json().path("supersededBy").asLong()).isEqualTo(b);
            assertThat(h.admin.post("/api/workspaces/" + a + "/build", "").status()).as("a closed workspace builds no more")
                    .isEqualTo(409);
            assertThat(h.admin.get("/api/audit").body()).contains("groups.refresh.superseded")
                    .contains("closed unapproved: superseded by workspace " + b + " '" + second.path("workspace").path("name").asString());

            // a person edits b: a newer refresh leaves it open beside its own
            String edited = POLICY.replace("services: [{name: https, protocol: tcp, destination: 443}]",
                    "services: [{name: https, protocol: tcp, destination: 443}, {name: ssh, protocol: tcp, destination: 22}]");
            Http.Response edit = h.bob.put("/api/workspaces/" + b + "/files/policy.yaml", edited, "application/yaml");
            assertThat(edit.status()).as(edit.body()).isEqualTo(200);
            Files.writeString(file, "address\n198.51.100.13\n");
            JsonNode third = refresh(h);
            long c = third.path("workspace").path("id").asLong();
            assertThat(third.path("superseded").size()).as("b was edited by a person: " + third).isZero();
            assertThat(state(h, b)).isEqualTo("open");

            // c is submitted (in review): the source changes again, c's submit still plans from c's snapshot
            Files.writeString(file, "address\n198.51.100.14\n");
            Http.Response submitted = h.bob.post("/api/workspaces/" + c + "/submit", "{\"message\": \"members of web\"}");
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            long pending = submitted.json().path("version").asLong();
            assertThat(rule(h.admin, "/api/versions/" + pending + "/", "198.51.100.13")).isEqualTo("clients-to-web");
            assertThat(rule(h.admin, "/api/versions/" + pending + "/", "198.51.100.14")).isEqualTo("rest");
            JsonNode fourth = refresh(h);
            assertThat(fourth.path("superseded").size()).as("c is submitted: " + fourth).isZero();
            assertThat(state(h, c)).isEqualTo("submitted");

            // a's change again: a is closed, so it opens anew (its name made unique), once
            Files.writeString(file, "address\n198.51.100.11\n");
            JsonNode fifth = refresh(h);
            assertThat(fifth.path("workspace").path("name").asString()).startsWith(h.admin.get("/api/workspaces/" + a).json()
                    .path("name").asString() + " #");
            assertThat(fifth.path("superseded").toString()).contains("\"id\":" + fourth.path("workspace").path("id").asLong());
            Http.Response again = h.admin.post("/api/groups/refresh", "");
            assertThat(again.json().path("opened").asBoolean()).as("the same change is open: " + again.body()).isFalse();
            assertThat(again.json().path("workspace").path("id").asLong()).isEqualTo(fifth.path("workspace").path("id").asLong());
        }
    }
}
