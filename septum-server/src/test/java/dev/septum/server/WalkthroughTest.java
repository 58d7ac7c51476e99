package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.deploy.Commands;
import dev.septum.lab.Lab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * docs/server.md, step by step over HTTP: the seed's lab is built in network namespaces, the server
 * deploys a workspace that lets the management host SSH to appserver1 to the lab's router, and the
 * probe from linuxmgmt10 to appserver1 flips from dropped to allowed while the rest stay as they were.
 */
class WalkthroughTest {
    private static final Duration PROBE = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    @Test
    void theDocumentedWalkthroughChangesTheLabsProbes() {
        Namespaces.requireRootUser();
        String prefix = "sxw-" + UUID.randomUUID().toString().substring(0, 4) + "-";
        Lab lab = Lab.open(SeedLab.DIR, prefix, line -> { });
        List<Process> listeners = new ArrayList<>();
        lab.up(Optional.of("router-only"));
        try (ServerHarness h = new ServerHarness("sqlite", dataDir)) {
            listeners.add(listen(prefix + "appserver1", 22));
            listeners.add(listen(prefix + "web01", 22));
            assertThat(ssh(prefix, "linuxmgmt10", "10.100.99.50")).as("mgmt -> appserver1 ssh before").isFalse();
            assertThat(ssh(prefix, "laptop", "10.100.99.50")).as("laptop -> appserver1 ssh before").isTrue();

            // 1. import the seed's directory; 2. bind the switch to the lab router that plays it
            assertThat(h.admin.post("/api/versions", SeedLab.importBody()).status()).isEqualTo(201);
            Http.Response bound = h.admin.put("/api/targets/andreasm-720xp-home",
                    "{\"driver\": \"nftables\", \"namespace\": \"" + prefix + "router\", \"family\": \"inet\"}", "application/json");
            assertThat(bound.status()).as(bound.body()).isEqualTo(200);
            // 3. workspace, 4. add the group and the rule as objects, 5. build, 6. review the diff
            long ws = h.admin.post("/api/workspaces", "{\"name\": \"mgmt-ssh\"}").json().path("id").asLong();
            String w = "/api/workspaces/" + ws;
            String rule = w + "/policies/vrf_all_home/rules/mgmt-ssh-to-appserver1?before=drop_all_else_web-app";
            String ruleBody = "{\"description\": \"SSH from the management host\", \"sources\": [\"linuxmgmt10\"], "
                    + "\"destinations\": [\"appserver1\"], \"services\": [\"SSH\"], \"direction\": \"bi\", \"action\": \"forward\"}";
            Http.Response early = h.admin.put(rule, ruleBody, "application/json");
            assertThat(early.status()).as(early.body()).isEqualTo(400);
            assertThat(early.json().path("diagnostics").get(0).path("message").asString()).startsWith("policies.yaml:").contains("sources");
            assertThat(h.admin.put(w + "/objects/groups/linuxmgmt10?before=wifi_clients", "{\"prefixes\": [\"10.100.5.10\"]}",
                    "application/json").status()).isEqualTo(201);
            assertThat(h.admin.put(rule, ruleBody, "application/json").status()).isEqualTo(201);
            assertThat(h.admin.get(w + "/policies/vrf_all_home/rules/mgmt-ssh-to-appserver1").json().path("position").asInt()).isEqualTo(7);
            assertThat(h.admin.post(w + "/build", "").json().path("ok").asBoolean()).isTrue();
            assertThat(h.admin.get(w + "/diff").body()).contains("newly allowed: linuxmgmt10 -> appserver1");
            // 7. submit, 8. approve as a second user, 9. run
            long cc = h.admin.post(w + "/submit", "{\"message\": \"SSH from the management host\"}").json().path("id").asLong();
            assertThat(h.bob.post("/api/change-controls/" + cc + "/approve", "").status()).isEqualTo(200);
            JsonNode run = h.bob.post("/api/change-controls/" + cc + "/run?wait=true", "").json();
            assertThat(run.path("state").asString()).as(run.toString()).isEqualTo("succeeded");

            assertThat(ssh(prefix, "linuxmgmt10", "10.100.99.50")).as("mgmt -> appserver1 ssh after").isTrue();
            assertThat(ssh(prefix, "laptop", "10.100.99.50")).as("laptop -> appserver1 ssh after").isTrue();
            assertThat(ssh(prefix, "linuxmgmt10", "10.100.99.51")).as("mgmt -> web01 ssh after").isFalse();

            // the new rule's counter saw the probe: per-rule counters read from the router, stored as a time series
            assertThat(h.admin.post("/api/counters/poll", "").json().path("polled").path("andreasm-720xp-home").asInt()).isPositive();
            JsonNode counters = h.admin.get("/api/devices/andreasm-720xp-home/counters").json().path("matches");
            JsonNode newRule = counters.path("mgmt-ssh-to-appserver1");
            assertThat(newRule.path("rule").asString()).isEqualTo("vrf_all_home/mgmt-ssh-to-appserver1");
            assertThat(newRule.path("samples").get(0).path("packets").asLong()).isPositive();
            assertThat(counters.path("drop_all_else_web-app-reverse").path("samples").get(0).path("packets").asLong()).isPositive();

            // drift by hand, shown, and repaired by an approver: the management host's SSH works again
            Commands.run(PROBE, List.of("ip", "netns", "exec", prefix + "router", "nft", "flush", "set", "inet", "septum", "g_linuxmgmt10"));
            assertThat(ssh(prefix, "linuxmgmt10", "10.100.99.50")).as("mgmt -> appserver1 ssh after the hand edit").isFalse();
            assertThat(h.bob.get("/api/devices/andreasm-720xp-home/drift").json().path("inSync").asBoolean()).isFalse();
            JsonNode repaired = h.bob.post("/api/devices/andreasm-720xp-home/drift/repair", "").json();
            assertThat(repaired.path("state").asString()).as(repaired.toString()).isEqualTo("succeeded");
            assertThat(repaired.path("inSync").asBoolean()).isTrue();
            assertThat(ssh(prefix, "linuxmgmt10", "10.100.99.50")).as("mgmt -> appserver1 ssh after the repair").isTrue();
        } finally {
            listeners.forEach(Process::destroyForcibly);
            lab.down();
        }
    }

    private static Process listen(String namespace, int port) {
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "nc", "-l", "-k", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // bounded wait until the port listens
            for (int i = 0; i < 50; i++) {
                if (Commands.run(PROBE, List.of("ip", "netns", "exec", namespace, "ss", "-ltn", "sport", "= :" + port)).stdout()
                        .contains(":" + port)) {
                    return p;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("nc did not listen on port " + port + " in " + namespace);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether a TCP connection to port 22 opens within 2 s: a dropped SYN times out. */
    private static boolean ssh(String prefix, String from, String to) {
        return Commands.run(PROBE, List.of("ip", "netns", "exec", prefix + from, "nc", "-z", "-w", "2", to, "22")).ok();
    }
}
