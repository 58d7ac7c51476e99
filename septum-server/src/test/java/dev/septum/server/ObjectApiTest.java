package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Model objects as REST resources on both databases: an edit through the object routes leaves
 * exactly the text a hand edit of the YAML file would, and every refusal names the field and
 * stores nothing.
 */
class ObjectApiTest {
    private static final String GROUP = "{\"prefixes\": [\"10.100.5.10\"]}";
    private static final String RULE = "{\"name\": \"mgmt-ssh-to-appserver1\", \"description\": \"SSH from the management host\", "
            + "\"sources\": [\"linuxmgmt10\"], \"destinations\": [\"appserver1\"], \"services\": [\"SSH\"], "
            + "\"direction\": \"bi\", \"action\": \"forward\"}";

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void editGroupsAndRulesLikeHandEditsOfTheFiles(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            long version = h.admin.post("/api/versions", SeedLab.importBody()).json().path("version").path("id").asLong();
            long id = h.admin.post("/api/workspaces", "{\"name\": \"objects\"}").json().path("id").asLong();
            String ws = "/api/workspaces/" + id;

            JsonNode index = h.admin.get(ws + "/objects").json().path("objects");
            assertThat(names(index.path("groups"))).contains("web01_web02", "appserver1");
            assertThat(names(index.path("policies"))).containsExactly("vrf_all_home");
            JsonNode web = h.admin.get(ws + "/objects/groups/web01_web02").json();
            assertThat(web.path("file").asString()).isEqualTo("objects.yaml");
            assertThat(web.path("object").path("prefixes").toString()).contains("10.100.99.51");

            // a rule naming a group that does not exist yet: refused with the field, nothing stored
            Http.Response early = h.admin.put(ws + "/policies/vrf_all_home/rules/mgmt-ssh-to-appserver1?before=drop_all_else_web-app",
                    RULE, "application/json");
            assertThat(early.status()).as(early.body()).isEqualTo(400);
            assertThat(early.json().path("diagnostics").get(0).path("field").asString()).isEqualTo("sources");
            assertThat(early.json().path("diagnostics").get(0).path("message").asString()).contains("linuxmgmt10");
            assertThat(h.admin.get(ws).json().path("revision").asLong()).isZero();

            Http.Response group = h.admin.put(ws + "/objects/groups/linuxmgmt10?before=wifi_clients", GROUP, "application/json");
            assertThat(group.status()).as(group.body()).isEqualTo(201);
            assertThat(group.json().path("object").path("file").asString()).isEqualTo("objects.yaml");
            Http.Response rule = h.admin.put(ws + "/policies/vrf_all_home/rules/mgmt-ssh-to-appserver1?before=drop_all_else_web-app",
                    RULE, "application/json");
            assertThat(rule.status()).as(rule.body()).isEqualTo(201);

            // the files read exactly as the walkthrough's hand edits: every other line, comment and blank kept
            Map<String, String> seed = SeedLab.files();
            assertThat(h.admin.get(ws + "/files/objects.yaml").body()).isEqualTo(SeedLab.withNewGroup(seed.get("objects.yaml")));
            assertThat(h.admin.get(ws + "/files/policies.yaml").body()).isEqualTo(SeedLab.withNewRule(seed.get("policies.yaml")));
            JsonNode placed = h.admin.get(ws + "/policies/vrf_all_home/rules/mgmt-ssh-to-appserver1").json();
            assertThat(placed.path("position").asInt()).isEqualTo(7);
            assertThat(names(h.admin.get(ws + "/policies/vrf_all_home/rules").json().path("rules")))
                    .endsWith("mgmt-ssh-to-appserver1", "drop_all_else_web-app");

            Http.Response build = h.admin.post(ws + "/build", "");
            assertThat(build.status()).as(build.body()).isEqualTo(200);
            assertThat(build.json().path("semanticDiff").toString()).contains("newly allowed: linuxmgmt10 -> appserver1");

            // replacing keeps the rule in place; moving puts it elsewhere
            Http.Response http = h.admin.put(ws + "/policies/vrf_all_home/rules/mgmt-ssh-to-appserver1",
                    RULE.replace("[\"SSH\"]", "[\"HTTP\"]"), "application/json");
            assertThat(http.status()).as(http.body()).isEqualTo(200);
            assertThat(http.json().path("object").path("object").path("services").toString()).isEqualTo("[\"HTTP\"]");
            assertThat(h.admin.get(ws + "/policies/vrf_all_home/rules/mgmt-ssh-to-appserver1").json().path("position").asInt()).isEqualTo(7);
            Http.Response moved = h.admin.put(ws + "/policies/vrf_all_home/rules/mgmt-ssh-to-appserver1?before=allow_all_NTP",
                    RULE, "application/json");
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            assertThat(h.admin.get(ws + "/policies/vrf_all_home/rules/mgmt-ssh-to-appserver1").json().path("position").asInt()).isEqualTo(1);

            // a group still in use cannot go: the diagnostic names the rule that refers to it
            long revision = h.admin.get(ws).json().path("revision").asLong();
            Http.Response inUse = h.admin.delete(ws + "/objects/groups/linuxmgmt10");
            assertThat(inUse.status()).as(inUse.body()).isEqualTo(400);
            assertThat(inUse.json().path("diagnostics").toString()).contains("mgmt-ssh-to-appserver1");
            assertThat(h.admin.get(ws).json().path("revision").asLong()).isEqualTo(revision);
            assertThat(h.admin.delete(ws + "/policies/vrf_all_home/rules/mgmt-ssh-to-appserver1").status()).isEqualTo(200);
            assertThat(h.admin.delete(ws + "/objects/groups/linuxmgmt10").status()).isEqualTo(200);
            assertThat(h.admin.get(ws + "/files/objects.yaml").body()).isEqualTo(seed.get("objects.yaml"));
            assertThat(h.admin.get(ws + "/files/policies.yaml").body()).isEqualTo(seed.get("policies.yaml"));

            // a new kind of object lands in its own file; stored versions are readable per object
            Http.Response redirect = h.admin.put(ws + "/objects/redirects/fw1", "{\"next-hops\": [\"192.0.2.1\"]}", "application/json");
            assertThat(redirect.status()).as(redirect.body()).isEqualTo(201);
            assertThat(h.admin.get(ws + "/files/redirects.yaml").body()).isEqualTo("redirects:\n  - name: fw1\n    next-hops: [192.0.2.1]\n");
            JsonNode stored = h.admin.get("/api/versions/" + version + "/objects/services/SSH").json();
            assertThat(stored.path("object").path("name").asString()).isEqualTo("SSH");
            assertThat(stored.path("file").asString()).isEqualTo("objects.yaml");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite"})
    void refusalsNameTheFieldAndStoreNothing(String db) {
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            h.admin.post("/api/versions", SeedLab.importBody());
            long id = h.admin.post("/api/workspaces", "{\"name\": \"objects\"}").json().path("id").asLong();
            String ws = "/api/workspaces/" + id;

            assertRefused(h.admin.get(ws + "/objects/group/web01_web02"), 400, "kind", "did you mean 'groups'");
            assertRefused(h.admin.get(ws + "/objects/groups/nope"), 404, "", "/objects/groups");
            assertRefused(h.admin.put(ws + "/objects/groups/a", "{\"prefixes\": [", "application/json"), 400, "(body)", "JSON");
            assertRefused(h.admin.put(ws + "/objects/groups/a", "[1]", "application/json"), 400, "(body)", "JSON object");
            assertRefused(h.admin.put(ws + "/objects/groups/a", "{\"name\": \"b\"}", "application/json"), 400, "name", "DELETE");
            assertRefused(h.admin.put(ws + "/objects/groups/a?before=nope", GROUP, "application/json"), 400, "before", "append");
            assertRefused(h.admin.put(ws + "/objects/groups/a?file=../x.yaml", GROUP, "application/json"), 400, "file", ".yaml");
            assertRefused(h.admin.put(ws + "/objects/groups/web01_web02?file=other.yaml", GROUP, "application/json"), 409, "file",
                    "DELETE");
            assertRefused(h.admin.get(ws + "/policies/nope/rules"), 404, "", "/objects/policies");

            // a misspelt field is caught by the same validation as the YAML files, with a suggestion
            Http.Response typo = h.admin.put(ws + "/policies/vrf_all_home/rules/r1", "{\"acton\": \"drop\"}", "application/json");
            assertThat(typo.status()).as(typo.body()).isEqualTo(400);
            assertThat(typo.json().path("diagnostics").toString()).contains("acton", "action");

            Http.Response stale = h.admin.send("PUT", ws + "/objects/groups/a", GROUP, Map.of("If-Match", "7", "Content-Type", "application/json"));
            assertRefused(stale, 409, "If-Match", "revision");
            assertRefused(h.anonymous.put(ws + "/objects/groups/a", GROUP, "application/json"), 401, null, null);
            assertThat(h.admin.get(ws).json().path("revision").asLong()).isZero();

            // work in progress that is not YAML: object routes name the file and say to fix it whole
            assertThat(h.admin.put(ws + "/files/broken.yaml?allowErrors=true", "groups: [\n", "application/yaml").status()).isEqualTo(200);
            Http.Response broken = h.admin.get(ws + "/objects/groups/web01_web02");
            assertRefused(broken, 400, "broken.yaml", "/files/broken.yaml");
            assertThat(broken.json().path("error").path("problem").asString()).startsWith("broken.yaml: the file is not valid YAML");
        }
    }

    private static void assertRefused(Http.Response r, int status, String field, String fixContains) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        if (field != null) {
            assertThat(r.json().path("error").path("field").asString()).as(r.body()).isEqualTo(field);
            assertThat(r.json().path("error").toString()).as(r.body()).contains(fixContains);
        }
    }

    private static java.util.List<String> names(JsonNode list) {
        java.util.List<String> names = new java.util.ArrayList<>();
        list.forEach(n -> names.add(n.path("name").asString()));
        return names;
    }
}
