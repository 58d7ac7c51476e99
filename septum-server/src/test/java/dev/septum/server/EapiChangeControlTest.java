package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.deploy.eapi.EapiTestServer;
import dev.septum.server.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A change control, drift and hit counters of an EOS switch over eAPI. No EOS can run here: the
 * in-process eAPI test server (septum-deploy's test-jar) plays the switch.
 */
class EapiChangeControlTest {
    @TempDir
    Path dir;

    @Test
    void deploysTheSwitchThroughAConfigSessionAndReportsARefusal() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (EapiTestServer sw = new EapiTestServer(Files.createDirectories(dir.resolve("tls")));
             ServerHarness h = new ServerHarness(TestDatabase.of("sqlite"), data, ServerConfig.local(data)
                     .withSecrets(name -> name.equals("SEPTUM_EAPI_SW") ? Optional.of(EapiTestServer.USER + ":" + EapiTestServer.PASSWORD)
                             : Optional.empty()))) {
            assertThat(h.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
            String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(sw.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Http.Response bound = h.admin.put("/api/targets/andreasm-720xp-home", Json.write(Map.of("driver", "eapi",
                    "url", sw.uri().toString(), "certificate", pem, "credentialsEnv", "SEPTUM_EAPI_SW")), "application/json");
            assertThat(bound.status()).as(bound.body()).isEqualTo(200);
            assertThat(h.admin.put("/api/targets/andreasm-720xp-home", "{\"driver\": \"eapi\", \"url\": \"http://10.0.0.1\"}",
                    "application/json").json().path("error").path("field").asString()).isEqualTo("url");

            JsonNode done = DeployTestSupport.addMgmtSsh(h, "mgmt-ssh");
            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.path("devices").get(0).path("message").asString()).contains("committed on https://127.0.0.1:",
                    "confirmed after read-back");
            assertThat(sw.running()).contains("      match mgmt-ssh-to-appserver1 ipv4");
            assertThat(sw.requests.stream().filter(r -> r.contains("commit timer 00:04:00")).count()).isEqualTo(1);
            assertThat(h.admin.get("/api/devices/andreasm-720xp-home/drift").json().path("inSync").asBoolean()).isTrue();

            // hit counters: the switch's matches, -reverse included, stored per poll as rules' time series
            sw.hits.put("mgmt-ssh-to-appserver1-reverse", 4L);
            JsonNode poll = h.admin.post("/api/counters/poll", "{}").json();
            assertThat(poll.path("polled").path("andreasm-720xp-home").asInt()).as(poll.toString()).isGreaterThan(2);
            JsonNode reverse = h.admin.get("/api/devices/andreasm-720xp-home/counters").json().path("matches")
                    .path("mgmt-ssh-to-appserver1-reverse");
            assertThat(reverse.path("rule").asString()).isEqualTo("vrf_all_home/mgmt-ssh-to-appserver1");
            assertThat(reverse.path("samples").get(0).path("packets").asLong()).isEqualTo(4);
            sw.unsupportedCommands.add("show traffic-policy counters");
            JsonNode refused = h.admin.post("/api/counters/poll", "{}").json();
            assertThat(refused.path("failed").path("andreasm-720xp-home").asString()).contains("switch andreasm-720xp-home",
                    "Invalid input", "Fix:");
            sw.unsupportedCommands.clear();

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
