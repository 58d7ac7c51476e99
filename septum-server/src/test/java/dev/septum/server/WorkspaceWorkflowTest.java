package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.api.Json;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The workspace flow over HTTP on both databases: import, edit with validation, build, diff,
 * submit, four-eyes approval, and lost-update detection between concurrent workspaces (merged onto
 * approved versions only).
 */
class WorkspaceWorkflowTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void importEditBuildSubmitApprove(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            Http.Response imported = h.admin.post("/api/versions", SeedLab.importBody());
            assertThat(imported.status()).as(imported.body()).isEqualTo(201);
            long v1 = imported.json().path("version").path("id").asLong();

            // export gives back exactly what was imported, file by file
            JsonNode exported = h.admin.get("/api/versions/" + v1 + "/files").json().path("files");
            SeedLab.files().forEach((name, text) -> assertThat(exported.path(name).asString()).isEqualTo(text));
            Http.Response one = h.admin.get("/api/versions/" + v1 + "/files/policies.yaml");
            assertThat(one.body()).isEqualTo(SeedLab.files().get("policies.yaml"));

            Http.Response ws = h.admin.post("/api/workspaces", "{\"name\": \"add-mgmt-ssh\"}");
            assertThat(ws.status()).as(ws.body()).isEqualTo(201);
            long id = ws.json().path("id").asLong();
            assertThat(ws.json().path("baseVersion").asLong()).isEqualTo(v1);
            String base = "/api/workspaces/" + id;

            // the rule refers to a group that does not exist yet: refused, with file:line:col, object, field and fix
            String policies = SeedLab.withNewRule(SeedLab.files().get("policies.yaml"));
            Http.Response refused = h.admin.put(base + "/files/policies.yaml", policies, "application/yaml");
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            JsonNode diagnostic = refused.json().path("diagnostics").get(0);
            assertThat(diagnostic.path("file").asString()).isEqualTo("policies.yaml");
            assertThat(diagnostic.path("line").asInt()).isPositive();
            assertThat(diagnostic.path("field").asString()).isEqualTo("sources");
            assertThat(diagnostic.path("object").asString()).contains("mgmt-ssh-to-appserver1");
            assertThat(diagnostic.path("message").asString()).startsWith("policies.yaml:").contains("linuxmgmt10");
            assertThat(diagnostic.path("fix").asString()).isNotBlank();
            assertThat(h.admin.get(base).json().path("revision").asLong()).isZero();

            Http.Response group = h.admin.put(base + "/files/objects.yaml", SeedLab.withNewGroup(SeedLab.files().get("objects.yaml")),
                    "application/yaml");
            assertThat(group.status()).as(group.body()).isEqualTo(200);
            Http.Response rule = h.admin.put(base + "/files/policies.yaml", policies, "application/yaml");
            assertThat(rule.status()).as(rule.body()).isEqualTo(200);
            assertThat(rule.json().path("revision").asLong()).isEqualTo(2);

            // an edit based on an old revision is refused instead of overwriting the newer one
            Http.Response stale = h.admin.send("PUT", base + "/files/policies.yaml", policies, Map.of("If-Match", "1", "Content-Type", "application/yaml"));
            assertThat(stale.status()).as(stale.body()).isEqualTo(409);
            assertThat(stale.json().path("error").path("field").asString()).isEqualTo("If-Match");

            Http.Response submitUnbuilt = h.admin.post(base + "/submit", "{}");
            assertThat(submitUnbuilt.status()).isEqualTo(404);

            Http.Response build = h.admin.post(base + "/build", "");
            assertThat(build.status()).as(build.body()).isEqualTo(200);
            assertThat(build.json().path("ok").asBoolean()).isTrue();
            JsonNode switchBuild = find(build.json().path("devices"), "andreasm-720xp-home");
            assertThat(switchBuild.path("changed").asBoolean()).isTrue();
            assertThat(switchBuild.path("diff").asString()).contains("+      match mgmt-ssh-to-appserver1 ipv4");
            assertThat(find(build.json().path("devices"), "andreas-ztx1").path("changed").asBoolean()).isFalse();
            assertThat(build.json().path("semanticDiff").toString()).contains("newly allowed: linuxmgmt10 -> appserver1");

            String diff = h.admin.get(base + "/diff").body();
            assertThat(diff).contains("newly allowed: linuxmgmt10 -> appserver1", "+      match mgmt-ssh-to-appserver1 ipv4",
                    "+   field-set ipv4 prefix linuxmgmt10");

            Http.Response submitted = h.admin.post(base + "/submit", "{\"message\": \"SSH from the management host\"}");
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            JsonNode cc = submitted.json();
            assertThat(cc.path("state").asString()).isEqualTo("pending-approval");
            assertThat(cc.path("version").asLong()).isGreaterThan(v1);
            long ccId = cc.path("id").asLong();

            Http.Response self = h.admin.post("/api/change-controls/" + ccId + "/approve", "");
            assertThat(self.status()).as(self.body()).isEqualTo(403);
            assertThat(self.json().path("error").path("problem").asString()).contains("four-eyes");
            Http.Response runUnapproved = h.bob.post("/api/change-controls/" + ccId + "/run", "");
            assertThat(runUnapproved.status()).isEqualTo(409);
            Http.Response approved = h.bob.post("/api/change-controls/" + ccId + "/approve", "");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            assertThat(approved.json().path("state").asString()).isEqualTo("approved");
            assertThat(approved.json().path("approvedBy").asString()).isEqualTo("bob");

            // the submitted workspace is frozen, and the new version holds the edit
            assertThat(h.admin.put(base + "/files/policies.yaml", policies, "application/yaml").status()).isEqualTo(409);
            assertThat(h.admin.get("/api/versions/" + cc.path("version").asLong() + "/files/policies.yaml").body()).isEqualTo(policies);

            JsonNode audit = h.admin.get("/api/audit").json().path("entries");
            assertThat(audit.toString()).contains("version.create", "workspace.create", "file.put", "workspace.build",
                    "change-control.create", "change-control.approved");
            assertThat(audit.toString()).doesNotContain(TestUsers.ADMIN_PASSWORD, TestUsers.BOB_PASSWORD);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void concurrentWorkspacesCannotLoseUpdates(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            assertThat(h.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
            long a = h.admin.post("/api/workspaces", "{\"name\": \"a\"}").json().path("id").asLong();
            long b = h.admin.post("/api/workspaces", "{\"name\": \"b\"}").json().path("id").asLong();
            long c = h.admin.post("/api/workspaces", "{\"name\": \"c\"}").json().path("id").asLong();
            long d = h.admin.post("/api/workspaces", "{\"name\": \"d\"}").json().path("id").asLong();
            String policies = SeedLab.files().get("policies.yaml");
            String objects = SeedLab.files().get("objects.yaml");

            editBuild(h, a, "policies.yaml", policies.replace("description: drop HTTP", "description: drop HTTP (a)"));
            editBuild(h, b, "policies.yaml", policies.replace("description: drop HTTP", "description: drop HTTP (b)"));
            editBuild(h, c, "objects.yaml", SeedLab.withNewGroup(objects));
            editBuild(h, d, "policies.yaml", policies.replace("description: ssh access to web app servers",
                    "description: ssh access to web app servers (d)"));

            Http.Response submittedA = h.admin.post("/api/workspaces/" + a + "/submit", "{}");
            assertThat(submittedA.status()).as(submittedA.body()).isEqualTo(201);
            // merging happens onto approved versions only: a's change counts once it is approved
            Http.Response approvedA = h.bob.post("/api/change-controls/" + submittedA.json().path("id").asLong() + "/approve", "");
            assertThat(approvedA.status()).as(approvedA.body()).isEqualTo(200);

            // b changed the rule a changed since their common base: refused, naming the file and the rule
            Http.Response conflict = h.admin.post("/api/workspaces/" + b + "/submit", "{}");
            assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
            assertThat(conflict.json().path("conflicts").toString()).isEqualTo("[\"policies.yaml\"]");
            assertThat(conflict.json().path("objects").toString())
                    .isEqualTo("[\"policies.yaml: rule 'drop_http_between_webservers' in policy 'vrf_all_home'\"]");
            assertThat(conflict.json().path("error").path("fix").asString()).contains("new workspace");

            // c touched another file: its submit keeps a's change and adds its own
            Http.Response merged = h.admin.post("/api/workspaces/" + c + "/submit", "{}");
            assertThat(merged.status()).as(merged.body()).isEqualTo(201);
            JsonNode files = h.admin.get("/api/versions/" + merged.json().path("version").asLong() + "/files").json().path("files");
            assertThat(files.path("policies.yaml").asString()).contains("description: drop HTTP (a)");
            assertThat(files.path("objects.yaml").asString()).contains("linuxmgmt10");

            // d changed another rule of the same file: merged rule by rule onto a (c is still pending, so not under d)
            Http.Response mergedRules = h.admin.post("/api/workspaces/" + d + "/submit", "{}");
            assertThat(mergedRules.status()).as(mergedRules.body()).isEqualTo(201);
            String text = h.admin.get("/api/versions/" + mergedRules.json().path("version").asLong() + "/files/policies.yaml").body();
            assertThat(text).isEqualTo(policies.replace("description: drop HTTP", "description: drop HTTP (a)")
                    .replace("description: ssh access to web app servers", "description: ssh access to web app servers (d)"));
            assertThat(h.admin.get("/api/versions").json().path("versions").size()).isEqualTo(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void policyNumbersArePinnedAtSubmitSoANewPolicyLeavesOtherSwitchesUnchanged(String db) {
        String policies = """
                policies:
                  - name: web
                    domain: dc
                    rules:
                      - {name: ssh, sources: [admins], services: [SSH], action: forward}
                """;
        Map<String, String> files = Map.of("inventory.yaml", """
                domains:
                  - {name: dc, devices: [dc-leaf], vrfs: [ALL]}
                  - {name: branch, devices: [branch-leaf], vrfs: [ALL]}
                devices:
                  - {name: dc-leaf, platform: eos}
                  - {name: branch-leaf, platform: eos}
                """, "objects.yaml", """
                groups:
                  - {name: admins, prefixes: [192.0.2.0/28]}
                services:
                  - {name: SSH, protocol: tcp, destination: 22}
                """, "policies.yaml", policies);
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            assertThat(h.admin.post("/api/versions", Json.write(Map.of("files", files))).status()).isEqualTo(201);
            long first = h.admin.post("/api/workspaces", "{\"name\": \"more-admins\"}").json().path("id").asLong();
            editBuild(h, first, "objects.yaml", files.get("objects.yaml").replace("192.0.2.0/28", "192.0.2.0/27"));
            Http.Response submitted = h.admin.post("/api/workspaces/" + first + "/submit", "{}");
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            // new workspaces start from the newest approved version: approve the pinned one first
            Http.Response approved = h.bob.post("/api/change-controls/" + submitted.json().path("id").asLong() + "/approve", "");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            // a policy in a file that loads first no longer takes web's number: the dc switch does not change
            long second = h.admin.post("/api/workspaces", "{\"name\": \"branch\"}").json().path("id").asLong();
            editBuild(h, second, "a-branch.yaml", policies.replace("web", "branch").replace("domain: dc", "domain: branch"));
            JsonNode devices = h.admin.get("/api/workspaces/" + second + "/build").json().path("devices");
            assertThat(find(devices, "dc-leaf").path("changed").asBoolean()).as(Json.write(devices)).isFalse();
            assertThat(find(devices, "branch-leaf").path("changed").asBoolean()).isTrue();
            assertThat(find(devices, "branch-leaf").path("diff").asString()).contains("#policy-id=257");
            // because the stored version holds web's number; nothing else of the file changed
            String stored = h.admin.get("/api/versions/" + submitted.json().path("version").asLong() + "/files/policies.yaml").body();
            assertThat(stored).isEqualTo(policies.replace("  - name: web\n", "  - name: web\n    id: 256\n"));
        }
    }

    private static void editBuild(ServerHarness h, long ws, String file, String text) {
        Http.Response put = h.admin.put("/api/workspaces/" + ws + "/files/" + file, text, "application/yaml");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        Http.Response build = h.admin.post("/api/workspaces/" + ws + "/build", "");
        assertThat(build.status()).as(build.body()).isEqualTo(200);
    }

    static JsonNode find(JsonNode devices, String name) {
        for (JsonNode d : devices) {
            if (d.path("device").asString().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no device " + name + " in " + Json.write(devices));
    }
}
