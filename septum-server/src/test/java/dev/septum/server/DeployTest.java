package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Change controls deployed for real: nftables tables in network namespaces this test creates,
 * read back after the apply; a failing second stage rolls the first device back.
 */
class DeployTest {
    @TempDir
    Path dataDir;

    @Test
    void runsTheCanaryThenTheRestAndRollsBackOnFailure() {
        try (Namespaces netns = Namespaces.requireRoot(); ServerHarness h = new ServerHarness("sqlite", dataDir)) {
            String router = netns.create("router");
            assertThat(h.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
            DeployTestSupport.bindNamespace(h, "andreasm-720xp-home", router);

            JsonNode done = DeployTestSupport.addMgmtSsh(h, "add-mgmt-ssh");
            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("succeeded");
            JsonNode canary = done.path("devices").get(0);
            assertThat(canary.path("device").asString()).isEqualTo("andreasm-720xp-home");
            assertThat(canary.path("stage").asInt()).isEqualTo(1);
            assertThat(canary.path("state").asString()).isEqualTo("succeeded");
            assertThat(canary.path("message").asString()).contains("read back 1 table(s) with");
            JsonNode monitor = done.path("devices").get(1);
            assertThat(monitor.path("state").asString()).isEqualTo("skipped");
            assertThat(monitor.path("message").asString()).contains("PUT /api/targets/andreas-ztx1");
            String deployed = netns.nft(router, "list", "table", "inet", "septum");
            assertThat(deployed).contains("c_mgmt-ssh-to-appserver1", "10.100.5.10");
            JsonNode inSync = h.admin.get("/api/devices/andreasm-720xp-home/drift").json();
            assertThat(inSync.path("inSync").asBoolean()).as(inSync.toString()).isTrue();

            // someone deletes a rule by hand: drift shows the line the router lacks
            netns.nft(router, "flush", "set", "inet", "septum", "g_linuxmgmt10");
            JsonNode drifted = h.admin.get("/api/devices/andreasm-720xp-home/drift").json();
            assertThat(drifted.path("inSync").asBoolean()).isFalse();
            assertThat(drifted.path("diff").asString()).contains("+\t\telements = { 10.100.5.10 }");
            // put it back for the rest of the test
            assertThat(netns.nft(router, "add", "element", "inet", "septum", "g_linuxmgmt10", "{ 10.100.5.10/32 }")).isNotNull();
            assertThat(h.admin.get("/api/devices/andreasm-720xp-home/drift").json().path("inSync").asBoolean()).isTrue();

            // second stage fails (its namespace does not exist): the run stops and the canary is put back
            DeployTestSupport.bindNamespace(h, "andreas-ztx1", netns.missing("gone"));
            JsonNode failed = DeployTestSupport.change(h, "rename", "policies.yaml",
                    h.admin.get("/api/versions/2/files/policies.yaml").body().replace("description: drop HTTP", "description: no HTTP"));
            assertThat(failed.path("state").asString()).as(failed.toString()).isEqualTo("failed");
            assertThat(failed.path("devices").get(0).path("state").asString()).isEqualTo("rolled-back");
            assertThat(failed.path("devices").get(1).path("state").asString()).isEqualTo("failed");
            assertThat(failed.path("devices").get(1).path("message").asString()).contains("previous ruleset stays in force");
            assertThat(failed.path("attention").size()).isZero();
            String after = netns.nft(router, "list", "table", "inet", "septum");
            assertThat(after).isEqualTo(deployed).doesNotContain("no HTTP");
        }
    }
}
