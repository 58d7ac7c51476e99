package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Drift repair against a real kernel: the router is an nftables table in a network namespace this
 * test creates (removed in close(), also after a failure); drift is made by hand with nft, repaired
 * over the API, and every repair's start and result are in the audit log.
 */
class DriftRepairTest {
    @TempDir
    Path dataDir;

    @Test
    void repairsADriftedDeviceRefusesWhenInSyncOrUnboundAndRecordsEveryRepair() {
        try (Namespaces netns = Namespaces.requireRoot(); ServerHarness h = new ServerHarness("sqlite", dataDir)) {
            String router = netns.create("repair");
            assertThat(h.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
            String repair = "/api/devices/andreasm-720xp-home/drift/repair";

            // no target: refused, naming the fix
            Http.Response unbound = h.bob.post(repair, "");
            assertThat(unbound.status()).as(unbound.body()).isEqualTo(404);
            assertThat(unbound.json().path("error").path("fix").asString()).contains("PUT /api/targets/andreasm-720xp-home");

            DeployTestSupport.bindNamespace(h, "andreasm-720xp-home", router);
            // an editor may look at drift but not repair it
            assertThat(h.admin.post("/api/users", "{\"name\": \"eve\", \"role\": \"editor\", \"password\": \"eve-test-password-12\"}")
                    .status()).isEqualTo(201);
            assertThat(h.anonymous.basic("eve", "eve-test-password-12").post(repair, "").status()).isEqualTo(403);

            // the namespace holds nothing yet: that is drift, and the repair deploys the newest version
            assertThat(h.admin.get("/api/devices/andreasm-720xp-home/drift").json().path("inSync").asBoolean()).isFalse();
            JsonNode first = h.bob.post(repair, "").json();
            assertThat(first.path("state").asString()).as(first.toString()).isEqualTo("succeeded");
            assertThat(first.path("inSync").asBoolean()).isTrue();
            assertThat(first.path("message").asString()).contains("read back 1 table(s) with");
            String deployed = netns.nft(router, "list", "table", "inet", "septum");
            assertThat(deployed).contains("c_web-to-appserver1");

            // in sync: refused, nothing sent
            Http.Response again = h.bob.post(repair, "");
            assertThat(again.status()).as(again.body()).isEqualTo(409);
            assertThat(again.json().path("error").path("problem").asString()).contains("no drift to repair");

            // someone empties a set by hand: drift, repaired back to the designed table
            netns.nft(router, "flush", "set", "inet", "septum", "g_appserver1");
            assertThat(h.admin.get("/api/devices/andreasm-720xp-home/drift").json().path("inSync").asBoolean()).isFalse();
            JsonNode second = h.admin.post(repair, "").json();
            assertThat(second.path("state").asString()).as(second.toString()).isEqualTo("succeeded");
            assertThat(netns.nft(router, "list", "table", "inet", "septum")).contains("g_appserver1").contains("10.100.99.50");
            assertThat(h.admin.get("/api/devices/andreasm-720xp-home/drift").json().path("inSync").asBoolean()).isTrue();

            // a target that cannot take the config: the refusal is the device's (502), recorded, and the device is as it was
            DeployTestSupport.bindNamespace(h, "andreasm-720xp-home", netns.missing("gone"));
            Http.Response broken = h.bob.post(repair, "");
            assertThat(broken.status()).as(broken.body()).isEqualTo(502);
            assertThat(broken.json().path("state").asString()).isEqualTo("failed");
            assertThat(broken.json().path("error").path("problem").asString()).contains("the repair of andreasm-720xp-home did not complete");

            List<String> audit = new ArrayList<>();
            h.admin.get("/api/audit?limit=200").json().path("entries").forEach(e -> {
                if (e.path("action").asString().startsWith("drift.repair")) {
                    audit.add(e.path("actor").asString() + " " + e.path("action").asString() + " " + e.path("detail").asString());
                }
            });
            assertThat(audit).hasSize(6);
            assertThat(audit.get(0)).startsWith("bob drift.repair.start redeploying version 1 to nftables " + router);
            assertThat(audit.get(1)).startsWith("bob drift.repair succeeded: applied");
            assertThat(audit.get(3)).startsWith("admin drift.repair succeeded:");
            assertThat(audit.get(5)).startsWith("bob drift.repair failed:");
        }
    }
}
