package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11: rollback lives in the workflow with submit, approve, run and repair. Going back to an
 * earlier approved version is a change like any other: submitted, reviewed against what runs,
 * approved by someone else, never a shortcut around the four eyes.
 */
class RollbackTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void rollingBackSubmitsTheOldFilesForAnotherUsersApproval(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            long v1 = h.admin.post("/api/versions", SeedLab.importBody()).json().path("version").path("id").asLong();
            long ws = h.admin.post("/api/workspaces", "{\"name\": \"more\"}").json().path("id").asLong();
            assertThat(h.admin.put("/api/workspaces/" + ws + "/files/objects.yaml", SeedLab.withNewGroup(SeedLab.files().get("objects.yaml")),
                    "application/yaml").status()).isEqualTo(200);
            assertThat(h.admin.post("/api/workspaces/" + ws + "/build", "").status()).isEqualTo(200);
            Http.Response change = h.admin.post("/api/workspaces/" + ws + "/submit", "{}");
            assertThat(change.status()).as(change.body()).isEqualTo(201);
            assertThat(h.bob.post("/api/change-controls/" + change.json().path("id").asLong() + "/approve", "").status()).isEqualTo(200);

            Http.Response pendingBack = h.admin.post("/api/versions/" + (v1 + 99) + "/rollback", "{}");
            assertThat(pendingBack.status()).isEqualTo(404);
            Http.Response back = h.admin.post("/api/versions/" + v1 + "/rollback", "{\"message\": \"the new group broke backups\"}");
            assertThat(back.status()).as(back.body()).isEqualTo(201);
            JsonNode cc = back.json();
            assertThat(cc.path("state").asString()).isEqualTo("pending-approval");
            long rolledBack = cc.path("version").asLong();
            assertThat(h.admin.get("/api/versions/" + rolledBack + "/files").json().path("files").path("objects.yaml").asString())
                    .isEqualTo(SeedLab.files().get("objects.yaml"));

            assertThat(h.admin.post("/api/change-controls/" + cc.path("id").asLong() + "/approve", "").status()).isEqualTo(403);
            Http.Response approved = h.bob.post("/api/change-controls/" + cc.path("id").asLong() + "/approve", "");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);

            Http.Response again = h.admin.post("/api/versions/" + rolledBack + "/rollback", "{}");
            assertThat(again.status()).as(again.body()).isEqualTo(400);
            assertThat(again.body()).contains("nothing to roll back");
        }
    }
}
