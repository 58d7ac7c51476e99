package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.FlowStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** "Remove stale rules" on a workspace: the seed's unused rules are deleted from its files, and the removal's break-set is empty. */
class StaleApiTest {
    @TempDir
    Path dataDir;

    static SessionRow session(int protocol, String client, int clientPort, String server, int serverPort, long last) {
        return new SessionRow(0, protocol, new Endpoint(IpAddr.parse(client), clientPort), new Endpoint(IpAddr.parse(server), serverPort),
                3, 300, 0, 3, 300, 0, SessionState.COMPLETE, last - 1000, last, DirectionEvidence.PORTS, 1, EndReason.IDLE_TIMEOUT);
    }

    /** The monitor node's flow store in {@code dataDir}, holding {@code sessions} as flushed at {@code t}. */
    static void observed(Path dataDir, long t, List<SessionRow> sessions) throws Exception {
        FlowStore store = new FlowStore(dataDir);
        store.initialise();
        store.write(sessions, List.of(), t, 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void removingStaleRulesLeavesAWorkspaceThatBreaksNoObservedSession(String db) throws Exception {
        long t = System.currentTimeMillis() - 60_000;
        observed(dataDir, t, List.of(
                session(6, "172.18.6.138", 50000, "10.100.99.51", 22, t),
                session(17, "10.100.99.51", 50001, "10.100.1.7", 53, t),
                session(6, "10.100.99.51", 50002, "10.100.99.50", 4567, t),
                session(6, "10.100.99.51", 50003, "10.100.99.52", 80, t),
                session(6, "10.100.5.10", 50004, "10.100.99.50", 22, t)));
        try (ServerHarness h = new ServerHarness(db, dataDir)) {
            long version = h.admin.post("/api/versions", SeedLab.importBody()).json().path("version").path("id").asLong();
            JsonNode report = h.admin.get("/api/versions/" + version + "/analyses/stale?since=1d").json();
            assertThat(report.path("kind").asString()).isEqualTo("stale");
            long id = h.admin.post("/api/workspaces", "{\"name\": \"cleanup\"}").json().path("id").asLong();

            Http.Response removed = h.admin.post("/api/workspaces/" + id + "/remove-stale?since=1d", "");

            assertThat(removed.status()).as(removed.body()).isEqualTo(200);
            assertThat(removed.json().path("removed").valueStream().map(JsonNode::asString).toList())
                    .containsExactly("vrf_all_home/allow_all_NTP", "vrf_all_home/clients_to_webservers");
            assertThat(removed.json().path("breakset").path("tables").get(0).path("rows").size()).isZero();
            assertThat(removed.json().path("breakset").path("notes").get(0).path("text").asString())
                    .startsWith("no observed session changes verdict (5 sessions");
            String policies = h.admin.get("/api/workspaces/" + id + "/files/policies.yaml").body();
            assertThat(policies).doesNotContain("allow_all_NTP").doesNotContain("clients_to_webservers").contains("allow_all_DNS");
            assertThat(h.admin.post("/api/workspaces/" + id + "/build", "").status()).isEqualTo(200);
        }
    }
}
