package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A change control deployed over SSH: the router is bound as an {@code nftables-ssh} target whose
 * SSH server (in-process, 127.0.0.1) runs nft in a network namespace this test creates; the host
 * key is pinned in the target and the password comes from the server's secrets by variable name.
 */
class SshDeployTest {
    private static final String PASSWORD = "ssh-deploy-test-password";

    @TempDir
    Path dir;

    private interface RouterTest {
        void run(Namespaces netns, String router, NamespaceSshServer device, ServerHarness h) throws Exception;
    }

    /** A namespace playing the router behind an in-process SSH server, bound (with or without sudo) in a server with the seed's lab. */
    private void withSshRouter(String name, boolean sudo, RouterTest test) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (Namespaces netns = Namespaces.requireRoot()) {
            String router = netns.create(name);
            try (NamespaceSshServer device = new NamespaceSshServer(router, "septum", PASSWORD);
                 ServerHarness h = serverWithSeedLab(data)) {
                bindOverSsh(h, device, sudo);
                test.run(netns, router, device, h);
            }
        }
    }

    /** A server whose secrets hold the router's SSH password, with the seed's lab imported. */
    private static ServerHarness serverWithSeedLab(Path data) {
        ServerHarness h = new ServerHarness(TestDatabase.of("sqlite"), data, ServerConfig.local(data)
                .withSecrets(name -> name.equals("SEPTUM_SSH_ROUTER") ? Optional.of(PASSWORD) : Optional.empty()));
        assertThat(h.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
        return h;
    }

    private static void bindOverSsh(ServerHarness h, NamespaceSshServer device, boolean sudo) {
        Map<String, Object> body = Map.of("driver", "nftables-ssh", "ssh", "septum@127.0.0.1:" + device.port(),
                "hostKey", device.hostKey(), "auth", "password", "credentialsEnv", "SEPTUM_SSH_ROUTER", "family", "inet", "sudo", sudo);
        Http.Response bound = h.admin.put("/api/targets/andreasm-720xp-home", Json.write(body), "application/json");
        assertThat(bound.status()).as(bound.body()).isEqualTo(200);
        assertThat(bound.body()).doesNotContain(PASSWORD);
    }

    @Test
    void deploysReadsBackAndPollsCountersOverSsh() throws Exception {
        withSshRouter("sshrouter", false, (netns, router, device, h) -> {
            JsonNode done = DeployTestSupport.addMgmtSsh(h, "mgmt-ssh");
            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.path("devices").get(0).path("message").asString())
                    .contains("septum@127.0.0.1:" + device.port() + " over SSH", "read back 1 table(s)");
            assertThat(netns.nft(router, "list", "table", "inet", "septum")).contains("c_mgmt-ssh-to-appserver1", "10.100.5.10");
            JsonNode drift = h.admin.get("/api/devices/andreasm-720xp-home/drift").json();
            assertThat(drift.path("inSync").asBoolean()).as(drift.toString()).isTrue();

            Http.Response polled = h.admin.post("/api/counters/poll", "{}");
            assertThat(polled.status()).as(polled.body()).isEqualTo(200);
            JsonNode counters = h.admin.get("/api/devices/andreasm-720xp-home/counters").json();
            assertThat(counters.toString()).contains("mgmt-ssh-to-appserver1");
        });
    }

    @Test
    void sudoTargetsRunSudoNonInteractiveAndAPasswordPromptIsNamedWithTheFix() throws Exception {
        withSshRouter("sudorouter", true, (netns, router, device, h) -> {
            assertThat(h.admin.get("/api/targets").json().path("targets").get(0).path("sudo").asBoolean()).isTrue();

            // sudo as root needs no password: the change control runs, every command through sudo -n
            JsonNode done = DeployTestSupport.addMgmtSsh(h, "mgmt-ssh");
            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("succeeded");
            assertThat(device.commands).isNotEmpty().allSatisfy(c -> assertThat(c).startsWith("sudo -n nft "));

            // a non-root login without a NOPASSWD rule: the real sudo asks for a password
            device.unprivileged = true;
            JsonNode poll = h.admin.post("/api/counters/poll", "{}").json();
            assertThat(poll.path("failed").path("andreasm-720xp-home").asString()).as(poll.toString())
                    .contains("asks septum for a password", "sudo -n", "septum ALL=(root) NOPASSWD: /usr/sbin/nft")
                    .doesNotContain(PASSWORD);
            JsonNode drift = h.admin.get("/api/devices/andreasm-720xp-home/drift").json();
            assertThat(drift.path("error").path("problem").asString()).as(drift.toString()).contains("asks septum for a password");
        });
    }

    @Test
    void refusesSshTargetsWithBadFieldsNamingTheField() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (ServerHarness h = new ServerHarness(TestDatabase.of("sqlite"), data, ServerConfig.local(data))) {
            Map<String, Map<String, String>> bad = Map.of(
                    "ssh", Map.of("driver", "nftables-ssh", "ssh", "no-user-here", "auth", "password", "credentialsEnv", "SEPTUM_X"),
                    "auth", Map.of("driver", "nftables-ssh", "ssh", "septum@fw1", "auth", "none", "credentialsEnv", "SEPTUM_X"),
                    "credentialsEnv", Map.of("driver", "nftables-ssh", "ssh", "septum@fw1", "auth", "key", "credentialsEnv", "hunter2 secret"),
                    "hostKey", Map.of("driver", "nftables-ssh", "ssh", "septum@fw1", "auth", "key", "credentialsEnv", "SEPTUM_X",
                            "hostKey", "trust me"));
            Http.Response notSsh = h.admin.put("/api/targets/fw1", "{\"driver\": \"nftables\", \"namespace\": \"fw1\", \"family\": \"inet\", \"sudo\": true}",
                    "application/json");
            assertThat(notSsh.json().path("error").path("field").asString()).as(notSsh.body()).isEqualTo("sudo");
            Http.Response notBoolean = h.admin.put("/api/targets/fw1", Json.write(Map.of("driver", "nftables-ssh", "ssh", "septum@fw1",
                    "auth", "key", "credentialsEnv", "SEPTUM_X", "sudo", "yes")), "application/json");
            assertThat(notBoolean.json().path("error").path("problem").asString()).as(notBoolean.body()).contains("must be true or false");
            bad.forEach((field, body) -> {
                Http.Response r = h.admin.put("/api/targets/fw1", Json.write(body), "application/json");
                assertThat(r.status()).as(r.body()).isEqualTo(400);
                assertThat(r.json().path("error").path("field").asString()).isEqualTo(field);
            });
        }
    }
}
