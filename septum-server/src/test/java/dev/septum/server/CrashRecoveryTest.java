package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Kills a real server process (SIGKILL) while it deploys a device, then starts a new server on the
 * same data directory: nothing stored is lost, and the new server takes the change control over
 * before it serves: it reads the device the old one was deploying before deciding. Runs with or
 * without root (the device's namespace never exists, so nothing is ever applied).
 */
class CrashRecoveryTest {
    @TempDir
    Path dataDir;

    @Test
    void aServerKilledDuringADeployHasItsChangeControlTakenOverOnRestart() throws Exception {
        long ccId;
        try (ServerProcess child = ServerProcess.start(dataDir, 60_000, Optional.empty())) {
            Http anonymous = new Http(child.port());
            Http admin = anonymous.basic("admin", TestUsers.ADMIN_PASSWORD);
            assertThat(admin.post("/api/users", "{\"name\": \"bob\", \"role\": \"approver\", \"password\": \"" + TestUsers.BOB_PASSWORD
                    + "\"}").status()).isEqualTo(201);
            Http bob = anonymous.basic("bob", TestUsers.BOB_PASSWORD);
            assertThat(admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
            assertThat(admin.put("/api/targets/andreasm-720xp-home", "{\"driver\": \"nftables\", \"namespace\": \"sxs-never-created\"}",
                    "application/json").status()).isEqualTo(200);
            long ws = admin.post("/api/workspaces", "{\"name\": \"w\"}").json().path("id").asLong();
            assertThat(admin.put("/api/workspaces/" + ws + "/files/objects.yaml",
                    SeedLab.withNewGroup(SeedLab.files().get("objects.yaml")), "application/yaml").status()).isEqualTo(200);
            assertThat(admin.post("/api/workspaces/" + ws + "/build", "").status()).isEqualTo(200);
            ccId = admin.post("/api/workspaces/" + ws + "/submit", "{}").json().path("id").asLong();
            assertThat(bob.post("/api/change-controls/" + ccId + "/approve", "").status()).isEqualTo(200);
            assertThat(bob.post("/api/change-controls/" + ccId + "/run", "").status()).isEqualTo(202);
            String state = "";
            for (int i = 0; i < 200 && !state.equals("running"); i++) { // bounded: 20 s
                state = admin.get("/api/change-controls/" + ccId).json().path("devices").get(0).path("state").asString();
                Thread.sleep(100);
            }
            assertThat(state).isEqualTo("running");
            child.kill();
        }

        try (SeptumServer restarted = SeptumServer.start(ServerConfig.local(dataDir).withAdminPassword(TestUsers.ADMIN_PASSWORD))) {
            assertThat(restarted.interruptedAtStart()).containsExactly(ccId);
            Http admin = new Http(restarted.port()).basic("admin", TestUsers.ADMIN_PASSWORD);
            JsonNode cc = admin.get("/api/change-controls/" + ccId).json();
            assertThat(cc.path("approvedBy").asString()).isEqualTo("bob");
            assertThat(cc.path("devices").get(1).path("state").asString()).isEqualTo("skipped");
            if ("root".equals(System.getProperty("user.name"))) {
                // the new leader reads the device (no table: not the approved config), deploys it anew, and nft refuses the
                // missing namespace: nothing changed on any device
                assertThat(cc.path("state").asString()).as(cc.toString()).isEqualTo("failed");
                assertThat(cc.path("devices").get(0).path("state").asString()).isEqualTo("failed");
                assertThat(cc.path("devices").get(0).path("message").asString()).contains("previous ruleset stays in force");
            } else {
                // without root the device cannot be read back at all: it is flagged, and the change control stays interrupted
                assertThat(cc.path("state").asString()).as(cc.toString()).isEqualTo("interrupted");
                assertThat(cc.path("devices").get(0).path("state").asString()).isEqualTo("unknown");
                assertThat(cc.path("attention").toString()).isEqualTo("[\"andreasm-720xp-home\"]");
            }
            assertThat(admin.get("/api/versions").json().path("versions").size()).isEqualTo(2);
            assertThat(admin.get("/api/audit").body()).contains("change-control.taken-over", "deploy.running");
        }
    }
}
