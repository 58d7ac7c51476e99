package dev.septum.server.deploy.eapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.DeployTestSupport;
import dev.septum.server.Http;
import dev.septum.server.SeedLab;
import dev.septum.server.ServerConfig;
import dev.septum.server.ServerHarness;
import dev.septum.server.TestDatabase;
import dev.septum.server.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A change control deployed to an EOS switch over eAPI (the in-process eAPI test server plays the switch). */
class EapiChangeControlTest {
    @TempDir
    Path dir;

    @Test
    void deploysTheSwitchThroughAConfigSessionAndReportsARefusal() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (FakeEapiServer sw = new FakeEapiServer(Files.createDirectories(dir.resolve("tls")));
             ServerHarness h = new ServerHarness(TestDatabase.of("sqlite"), data, ServerConfig.local(data)
                     .withSecrets(name -> name.equals("SEPTUM_EAPI_SW") ? Optional.of(FakeEapiServer.USER + ":" + FakeEapiServer.PASSWORD)
                             : Optional.empty()))) {
            assertThat(h.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
            String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(sw.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Http.Response bound = h.admin.put("/api/targets/andreasm-720xp-home", Json.write(Map.of("driver", "eapi",
                    "url", sw.uri().toString(), "certificate", pem, "credentialsEnv", "SEPTUM_EAPI_SW")), "application/json");
            assertThat(bound.status()).as(bound.body()).isEqualTo(200);
            assertThat(h.admin.put("/api/targets/andreasm-720xp-home", "{\"driver\": \"eapi\", \"url\": \"http://10.0.0.1\"}",
                    "application/json").json().path("error").path("field").asString()).isEqualTo("url");

            JsonNode done = DeployTestSupport.change(h, "mgmt-ssh", "objects.yaml", SeedLab.withNewGroup(SeedLab.files().get("objects.yaml")),
                    "policies.yaml", SeedLab.withNewRule(SeedLab.files().get("policies.yaml")));
            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.path("devices").get(0).path("message").asString()).contains("committed on https://127.0.0.1:",
                    "confirmed after read-back");
            assertThat(sw.running()).contains("      match mgmt-ssh-to-appserver1 ipv4");
            assertThat(sw.requests.stream().filter(r -> r.contains("commit timer 00:04:00")).count()).isEqualTo(1);
            assertThat(h.admin.get("/api/devices/andreasm-720xp-home/drift").json().path("inSync").asBoolean()).isTrue();

            // the switch refuses a line of the next change: aborted, the running config as it was, the change control failed
            var before = sw.running();
            sw.rejectedTokens.add("no HTTP");
            JsonNode failed = DeployTestSupport.change(h, "rename", "policies.yaml",
                    h.admin.get("/api/versions/2/files/policies.yaml").body().replace("description: drop HTTP", "description: no HTTP"));
            assertThat(failed.path("state").asString()).isEqualTo("failed");
            assertThat(failed.path("devices").get(0).path("state").asString()).isEqualTo("failed");
            assertThat(failed.path("devices").get(0).path("message").asString()).contains("aborted at load",
                    "Invalid input (at token 1: 'no HTTP')", "running config is unchanged");
            assertThat(failed.path("devices").get(1).path("state").asString()).isEqualTo("skipped");
            assertThat(sw.running()).isEqualTo(before);
        }
    }
}
