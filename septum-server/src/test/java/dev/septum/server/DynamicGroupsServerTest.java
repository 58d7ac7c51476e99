package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.FlowStore;
import dev.septum.server.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
public class DynamicGroupsServerTest {
    /** A forward to a group read from {@code members/web.csv}, and a drop for the rest. */
    public static final String POLICY = """
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

    /** The rule a trace from a client to {@code dst}:443 of the version or workspace at {@code path} answers with. */
    static String rule(Http http, String path, String dst) {
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

    static long importPolicy(ServerHarness h, String policy) {
        JsonNode imported = h.admin.post("/api/versions", Json.write(Map.of("message", "dynamic",
                "files", Map.of("policy.yaml", policy)))).json();
        long version = imported.path("version").path("id").asLong();
        assertThat(version).as(imported.toString()).isPositive();
        return version;
    }

    private Path members(String csv) throws Exception {
        Path file = Files.createDirectories(dataDir.resolve(SeptumServer.SOURCES_DIR).resolve("members")).resolve("web.csv");
        Files.writeString(file, csv);
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRefreshOpensOneReviewWorkspaceWithTheFieldSetDiff(String db) throws Exception {
        Path file = members("address\n198.51.100.10\n");
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            long version = importPolicy(h, POLICY);
            JsonNode same = h.admin.post("/api/groups/refresh", "").json();
            assertThat(same.path("changes").size()).as(same.toString()).isZero();
            assertThat(same.path("workspace").isNull()).isTrue();
            assertThat(h.bob.post("/api/groups/refresh", "").status()).as("admins only").isEqualTo(403);

            Files.writeString(file, "address\n198.51.100.11\n198.51.100.12\n");
            Http.Response first = h.admin.post("/api/groups/refresh", "");
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            JsonNode opened = first.json();
            assertThat(opened.path("opened").asBoolean()).as(opened.toString()).isTrue();
            assertThat(opened.path("version").asLong()).isEqualTo(version);
            assertThat(opened.path("changes").get(0).path("added").toString()).contains("198.51.100.11/32", "198.51.100.12/32");
            assertThat(opened.path("changes").get(0).path("removed").toString()).contains("198.51.100.10/32");
            String name = opened.path("workspace").path("name").asString();
            assertThat(name).startsWith("members: web (+2 -1) [");
            long ws = opened.path("workspace").path("id").asLong();

            JsonNode build = h.admin.get("/api/workspaces/" + ws + "/build").json();
            assertThat(build.path("ok").asBoolean()).as(build.toString()).isTrue();
            assertThat(build.path("devices").get(0).path("diff").asString())
                    .contains("-        elements = { 198.51.100.10/32 }\n")
                    .contains("+        elements = { 198.51.100.11/32, 198.51.100.12/32 }\n")
                    .satisfies(d -> assertThat(d.lines().filter(l -> l.matches("^[-+][^-+].*"))).hasSize(2));
            assertThat(build.path("semanticDiff").toString()).contains("newly allowed: clients -> web")
                    .contains("newly blocked: clients -> web");

            JsonNode again = h.admin.post("/api/groups/refresh", "").json();
            assertThat(again.path("opened").asBoolean()).as("no duplicate while the identical one is open: " + again).isFalse();
            assertThat(again.path("workspace").path("id").asLong()).isEqualTo(ws);

            String audit = h.admin.get("/api/audit").body();
            assertThat(audit).contains("groups.refresh").contains(name).contains("requested by admin");

            Http.Response submitted = h.bob.post("/api/workspaces/" + ws + "/submit", "{\"message\": \"members of web\"}");
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            JsonNode pending = h.admin.post("/api/groups/refresh", "").json();
            assertThat(pending.path("opened").asBoolean()).as("none while the change waits for approval: " + pending).isFalse();
            assertThat(pending.path("workspace").path("id").asLong()).isEqualTo(ws);
            Http.Response approved = h.admin.post("/api/change-controls/" + submitted.json().path("id").asLong() + "/approve", "");
            assertThat(approved.status()).as("admin neither edited nor submitted it: " + approved.body()).isEqualTo(200);
            JsonNode none = h.admin.post("/api/groups/refresh", "").json();
            assertThat(none.path("changes").size()).as("the approved version holds the new members: " + none).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theScheduleAsksADueSourceAndOpensAWorkspace(String db) throws Exception {
        // an inventory, not a member file: a written file is refreshed by the watch before the schedule would see it
        ServerConfig config = ServerConfig.local(dataDir).withGroupRefreshInterval(java.time.Duration.ofMillis(200));
        try (MemberServer inventory = new MemberServer("198.51.100.10");
             ServerHarness h = new ServerHarness(TestDatabase.of(db), dataDir, config)) {
            importPolicy(h, POLICY.replace("source: {kind: file, path: members/web.csv}",
                    "source: {kind: http-json, url: '" + inventory.url() + "', refresh: 1s}"));
            inventory.answer("198.51.100.13");
            String audit = awaitAudit(h, "schedule: members of version 1 changed: web added [198.51.100.13/32] removed [198.51.100.10/32]");
            assertThat(audit).contains("\"actor\":\"septum-refresh\",\"action\":\"groups.refresh\"");
            JsonNode opened = Json.read(h.admin.get("/api/workspaces").body()).path("workspaces").get(0);
            assertThat(opened.path("name").asString()).startsWith("members: web (+1 -1) [");
            assertThat(opened.path("createdBy").asString()).isEqualTo("septum-refresh");
        }
    }

    @org.junit.jupiter.api.Test
    void aRestartedServerKeepsTheLastGoodMembersOfAFailingSource() throws Exception {
        Path file = members("address\n198.51.100.10\n");
        ServerConfig config = ServerConfig.local(dataDir);
        try (ServerHarness h = new ServerHarness(TestDatabase.of("sqlite"), dataDir, config)) {
            importPolicy(h, POLICY);
        }
        Files.delete(file);
        try (SeptumServer restarted = SeptumServer.start(TestDatabase.of("sqlite").config(dataDir))) {
            Http admin = new Http(restarted.port()).basic("admin", TestUsers.ADMIN_PASSWORD);
            long ws = admin.post("/api/workspaces", "{\"name\": \"after-restart\"}").json().path("id").asLong();
            Http.Response build = admin.post("/api/workspaces/" + ws + "/build", "");
            assertThat(build.status()).as(build.body()).isEqualTo(200);
            assertThat(build.json().path("ok").asBoolean()).as("the stored version's members are the last good answer: " + build.body())
                    .isTrue();
            assertThat(build.body()).contains("the members of its last good answer");
            assertThat(build.json().path("devices").get(0).path("changed").asBoolean()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aPushReplacesAPushGroupsMembersAndOpensAReviewWorkspace(String db) throws Exception {
        members("address\n198.51.100.10\n");
        String policy = POLICY.replace("source: {kind: file, path: members/web.csv}", "source: {kind: push}");
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            h.admin.post("/api/users", "{\"name\": \"viewer\", \"role\": \"viewer\", \"password\": \"" + TestUsers.BOB_PASSWORD + "\"}");
            Http.Response imported = h.admin.post("/api/versions", Json.write(Map.of("message", "push", "files", Map.of("policy.yaml", policy))));
            assertThat(imported.status()).as(imported.body()).isEqualTo(201);

            Http.Response pushed = h.bob.put("/api/groups/web/members",
                    "{\"members\": [\"198.51.100.20\", {\"address\": \"2001:db8:20::/64\", \"categories\": {\"role\": \"web\"}}]}",
                    "application/json");
            assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
            assertThat(pushed.json().path("members").asInt()).isEqualTo(2);
            JsonNode refresh = pushed.json().path("refresh");
            assertThat(refresh.path("opened").asBoolean()).as(refresh.toString()).isTrue();
            assertThat(refresh.path("workspace").path("name").asString()).startsWith("members: web (+2 -0) [");
            long ws = refresh.path("workspace").path("id").asLong();
            JsonNode build = h.admin.get("/api/workspaces/" + ws + "/build").json();
            assertThat(build.path("ok").asBoolean()).as(build.toString()).isTrue();
            // the version was stored before anything was pushed, so it never built: the whole config is new
            assertThat(build.path("devices").get(0).path("diff").asString()).contains("+        elements = { 198.51.100.20/32 }\n");
            assertThat(h.admin.get("/api/audit").body()).contains("groups.push").contains("2 members pushed")
                    .contains("push to group web by bob");

            Http.Response bad = h.bob.put("/api/groups/web/members", "{\"members\": [\"198.51.100.20\", {\"address\": \"10.0.0.300\"}]}",
                    "application/json");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("error").path("field").asString()).isEqualTo("members");
            assertThat(bad.json().path("error").path("problem").asString())
                    .isEqualTo("members item 1 field address: '10.0.0.300' is not an IPv4 or IPv6 address or prefix");
            assertThat(h.bob.put("/api/groups/web/members", "{\"members\": \"198.51.100.20\"}", "application/json").json()
                    .path("error").path("problem").asString()).isEqualTo("must be a list");
            assertThat(h.bob.put("/api/groups/clients/members", "{\"members\": []}", "application/json").status())
                    .as("a static group takes no pushes").isEqualTo(404);
            Http viewer = h.anonymous.basic("viewer", TestUsers.BOB_PASSWORD);
            assertThat(viewer.put("/api/groups/web/members", "{\"members\": []}", "application/json").status()).isEqualTo(403);
            assertThat(h.admin.get("/api/workspaces/" + ws + "/build").json().path("ok").asBoolean())
                    .as("a refused push changes nothing").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void autoApplyDeploysASmallChangeWithoutReviewAndLeavesTheRestForReview(String db) throws Exception {
        Path file = members("address\n198.51.100.10\n");
        String policy = POLICY.replace("source: {kind: file, path: members/web.csv}",
                "source: {kind: file, path: members/web.csv}\n    auto-apply: {max-changed: 2}");
        try (Namespaces netns = Namespaces.requireRoot(); ServerHarness h = new ServerHarness(db, dataDir)) {
            String router = netns.create("router");
            importPolicy(h, policy);
            DeployTestSupport.bindNamespace(h, "router", router);

            Files.writeString(file, "address\n198.51.100.11\n");
            JsonNode small = h.admin.post("/api/groups/refresh", "").json();
            assertThat(small.path("changeControl").isNumber()).as("+1 -1 is within max-changed 2: " + small).isTrue();
            JsonNode cc = awaitChangeControl(h, small.path("changeControl").asLong());
            assertThat(cc.path("state").asString()).as(cc.toString()).isEqualTo("succeeded");
            assertThat(cc.path("submittedBy").asString()).isEqualTo("septum-refresh");
            assertThat(cc.path("approvedBy").asString()).isEqualTo("septum-refresh");
            assertThat(netns.nft(router, "list", "set", "inet", "septum", "g_web")).contains("198.51.100.11")
                    .doesNotContain("198.51.100.10");
            assertThat(h.admin.get("/api/audit").body()).contains("change-control.auto-approve")
                    .contains("four-eyes rule waived: auto-apply within limits: web 2 changed, max-changed 2");

            Files.writeString(file, "address\n198.51.100.20\n198.51.100.21\n198.51.100.22\n");
            JsonNode large = h.admin.post("/api/groups/refresh", "").json();
            assertThat(large.path("changeControl").isNull()).as("+3 -1 is more than max-changed 2: " + large).isTrue();
            assertThat(large.path("opened").asBoolean()).isTrue();
            assertThat(h.admin.get("/api/audit").body()).contains("4 members changed, more than its auto-apply max-changed 2");

            Files.writeString(file, "address\n");
            JsonNode emptied = h.admin.post("/api/groups/refresh", "").json();
            assertThat(emptied.path("changeControl").isNull()).as("the forward rule's group would be emptied: " + emptied).isTrue();
            assertThat(h.admin.get("/api/audit").body()).contains("group web would be emptied and a forward rule uses it");
            assertThat(netns.nft(router, "list", "set", "inet", "septum", "g_web")).as("only the auto-applied change reached it")
                    .contains("198.51.100.11");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void autoApplyLeavesAChangeThatBreaksObservedSessionsForReview(String db) throws Exception {
        Path file = members("address\n198.51.100.10\n");
        long recent = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
        FlowStore store = new FlowStore(dataDir);
        store.initialise();
        store.write(List.of(new SessionRow(0, 6, new Endpoint(IpAddr.parse("192.0.2.5"), 50400),
                new Endpoint(IpAddr.parse("198.51.100.10"), 443), 6, 500, 0, 5, 2000, 0, SessionState.COMPLETE, recent - 3000, recent,
                DirectionEvidence.PORTS, 2, EndReason.IDLE_TIMEOUT)), List.of(), recent, 0);
        String policy = POLICY.replace("source: {kind: file, path: members/web.csv}",
                "source: {kind: file, path: members/web.csv}\n    auto-apply: {max-changed: 2}");
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            importPolicy(h, policy);

            Files.writeString(file, "address\n198.51.100.11\n");
            JsonNode refreshed = h.admin.post("/api/groups/refresh", "").json();

            assertThat(refreshed.path("changeControl").isNull())
                    .as("+1 -1 is within max-changed 2, but the observed session to .10 would be blocked: " + refreshed).isTrue();
            assertThat(refreshed.path("opened").asBoolean()).isTrue();
            long workspace = refreshed.path("workspace").path("id").asLong();
            assertThat(h.admin.get("/api/workspaces/" + workspace).json().path("state").asString()).isEqualTo("open");
            JsonNode refusal = h.admin.get("/api/audit").json().path("entries").valueStream()
                    .filter(e -> e.path("action").asString().equals("groups.auto-apply.refused")).findFirst().orElseThrow();
            assertThat(refusal.path("detail").asString()).contains("observed sessions change verdict");
            assertThat(h.admin.get("/api/change-controls").body()).doesNotContain("septum-refresh");
        }
    }

    /** Polls a change control until it has finished. */
    static JsonNode awaitChangeControl(ServerHarness h, long id) throws InterruptedException {
        return await("change control " + id + " to finish", () -> h.admin.get("/api/change-controls/" + id).json(),
                cc -> !java.util.Set.of("approved", "running").contains(cc.path("state").asString()));
    }

    /** Polls the audit log until it holds {@code text}. */
    static String awaitAudit(ServerHarness h, String text) throws InterruptedException {
        return await("the audit log to hold '" + text + "'", () -> h.admin.get("/api/audit").body(), body -> body.contains(text));
    }

    /** Asks until the answer passes: bounded in count and time, failing with the last answer. */
    static <T> T await(String what, java.util.function.Supplier<T> ask, java.util.function.Predicate<T> done)
            throws InterruptedException {
        T seen = null;
        for (int i = 0; i < 300; i++) {
            seen = ask.get();
            if (done.test(seen)) {
                return seen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited 30 s for " + what + "; last seen: " + seen);
    }
}
