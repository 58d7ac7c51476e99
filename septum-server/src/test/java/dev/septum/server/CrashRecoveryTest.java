package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Kills a real server process (SIGKILL) while it deploys a device, then starts a new server on the
 * same data directory: nothing stored is lost, and the change control is reported interrupted with
 * the device it was deploying flagged unknown. Needs no root: the kill lands before the driver runs.
 */
class CrashRecoveryTest {
    @TempDir
    Path dataDir;

    @Test
    void aServerKilledDuringADeployReportsTheInterruptedChangeControlOnRestart() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ServerProcessMain.class.getName(), dataDir.toString(), "60000").redirectErrorStream(true).start();
        long ccId;
        try {
            int port = port(child);
            Http anonymous = new Http(port);
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
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        try (SeptumServer restarted = SeptumServer.start(ServerConfig.local(dataDir).withAdminPassword(TestUsers.ADMIN_PASSWORD))) {
            assertThat(restarted.interruptedAtStart()).containsExactly(ccId);
            Http admin = new Http(restarted.port()).basic("admin", TestUsers.ADMIN_PASSWORD);
            JsonNode cc = admin.get("/api/change-controls/" + ccId).json();
            assertThat(cc.path("state").asString()).isEqualTo("interrupted");
            assertThat(cc.path("approvedBy").asString()).isEqualTo("bob");
            assertThat(cc.path("devices").get(0).path("state").asString()).isEqualTo("unknown");
            assertThat(cc.path("devices").get(1).path("state").asString()).isEqualTo("skipped");
            assertThat(cc.path("attention").toString()).isEqualTo("[\"andreasm-720xp-home\"]");
            assertThat(admin.get("/api/versions").json().path("versions").size()).isEqualTo(2);
            assertThat(admin.get("/api/audit").body()).contains("change-control.interrupted", "deploy.running");
        }
    }

    private static int port(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) { // bounded: the server prints its port within a few seconds
            String line = out.readLine();
            if (line == null) {
                break;
            }
            if (line.startsWith("PORT ")) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining so the child never blocks
                return Integer.parseInt(line.substring(5).strip());
            }
            seen.add(line);
        }
        throw new AssertionError("the server process did not start: " + String.join("\n", seen));
    }
}
