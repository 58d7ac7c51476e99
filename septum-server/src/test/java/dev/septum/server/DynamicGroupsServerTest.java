package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Dynamic groups in the server, on both databases: a stored version keeps the members it was
 * built with (its analyses replay that snapshot even after the source changed), and a new build
 * of a workspace asks the source again, so a membership change shows as a field-set-only config
 * diff with its semantic diff.
 */
class DynamicGroupsServerTest {
    private static final String POLICY = """
            domains: [{name: dc, devices: [router], vrfs: [ALL]}]
            devices: [{name: router, platform: nftables}]
            groups:
              - {name: clients, prefixes: [192.0.2.0/24]}
              - name: web
                source: {kind: file, path: members/web.csv}
            services: [{name: https, protocol: tcp, destination: 443}]
            policies:
              - name: edge
                domain: dc
                vrf: ALL
                rules:
                  - {name: clients-to-web, sources: [clients], destinations: [web], services: [https], action: forward}
                  - {name: rest, sources: [clients], action: drop}
            """;

    @TempDir
    Path dataDir;

    private static String rule(Http http, String path, String dst) {
        Http.Response trace = http.get(path + "analyses/trace?src=192.0.2.5&dst=" + dst + "&proto=tcp&dport=443");
        assertThat(trace.status()).as(trace.body()).isEqualTo(200);
        return trace.json().path("tables").get(0).path("rows").get(0).path("rule").asString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aVersionKeepsItsMembersAndANewBuildShowsTheMembershipChange(String db) throws Exception {
        Path members = Files.createDirectories(dataDir.resolve(SeptumServer.SOURCES_DIR).resolve("members")).resolve("web.csv");
        Files.writeString(members, "address\n198.51.100.10\n");
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            JsonNode imported = h.admin.post("/api/versions", Json.write(Map.of("message", "dynamic",
                    "files", Map.of("policy.yaml", POLICY)))).json();
            long version = imported.path("version").path("id").asLong();
            assertThat(version).as(imported.toString()).isPositive();

            Files.writeString(members, "address\n198.51.100.11\n");

            String v = "/api/versions/" + version + "/";
            assertThat(rule(h.admin, v, "198.51.100.10")).as("the version's own snapshot, not a fresh lookup")
                    .isEqualTo("clients-to-web");
            assertThat(rule(h.admin, v, "198.51.100.11")).isEqualTo("rest");

            long ws = h.admin.post("/api/workspaces", "{\"name\": \"members\"}").json().path("id").asLong();
            Http.Response build = h.admin.post("/api/workspaces/" + ws + "/build", "");
            assertThat(build.status()).as(build.body()).isEqualTo(200);
            JsonNode router = build.json().path("devices").get(0);
            assertThat(router.path("changed").asBoolean()).isTrue();
            // field-set only: the set's elements change, no rule or chain does
            assertThat(router.path("diff").asString()).contains("-        elements = { 198.51.100.10/32 }\n")
                    .contains("+        elements = { 198.51.100.11/32 }\n")
                    .satisfies(d -> assertThat(d.lines().filter(l -> l.matches("^[-+][^-+].*"))).hasSize(2));
            assertThat(build.json().path("semanticDiff").toString()).contains("198.51.100.11").contains("198.51.100.10");
            assertThat(rule(h.admin, "/api/workspaces/" + ws + "/", "198.51.100.11")).as("the workspace build's snapshot")
                    .isEqualTo("clients-to-web");

            Http.Response submitted = h.admin.post("/api/workspaces/" + ws + "/submit", "{\"message\": \"web moved\"}");
            assertThat(submitted.status()).as("a membership-only change is a change: " + submitted.body()).isEqualTo(201);
            long next = submitted.json().path("version").asLong();
            Files.writeString(members, "address\n198.51.100.12\n");
            assertThat(rule(h.admin, "/api/versions/" + next + "/", "198.51.100.11")).isEqualTo("clients-to-web");
        }
    }
}
