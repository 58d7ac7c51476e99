package dev.septum.flows.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.tag.SessionTagger;
import dev.septum.flows.tag.SessionTags;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags stored with sessions: written per flush by the store's tagger, queried by rule, group, service and version. */
class FlowStoreTagsTest {
    @TempDir
    Path dir;

    /** A tagger of a toy policy: port 22 is "ssh", dropped by rule "no-ssh" from group "clients". */
    static SessionTagger toyPolicy(String version) {
        return (protocol, client, clientPort, server, serverPort) -> serverPort == 22
                ? new SessionTags(List.of("clients"), List.of("servers", "infra"), List.of("SSH"), "p1", "no-ssh", "no-ssh-reverse",
                        "drop", version)
                : new SessionTags(List.of("clients"), List.of(), List.of("HTTPS"), "p1", "", "ipv4-all-default", "forward", version);
    }

    static SessionRow row(String client, int port, long first, EndReason reason, long packets) {
        return new SessionRow(0, 6, new Endpoint(IpAddr.parse(client), 40000), new Endpoint(IpAddr.parse("10.9.0.1"), port),
                packets, packets * 100, 0x1B, packets, packets * 100, 0x1B, SessionState.COMPLETE, first, first + 1000,
                DirectionEvidence.TCP_FLAGS, 1, reason);
    }

    static SessionQuery tagged(Optional<String> group, Optional<String> rule, Optional<String> service, Optional<String> version) {
        return SessionQuery.ALL.withTags(new TagFilter(group, rule, service, version));
    }

    @Test
    void eachSessionIsStoredWithItsTagsAndFoundByRuleGroupServiceAndVersion() throws Exception {
        FlowStore store = new FlowStore(dir, () -> toyPolicy("v1"));
        store.initialise();
        store.write(List.of(row("10.1.0.1", 22, 1000, EndReason.IDLE_TIMEOUT, 3), row("10.1.0.2", 443, 2000, EndReason.IDLE_TIMEOUT, 4)),
                List.of(row("10.1.0.3", 22, 3000, EndReason.LIVE, 5)), 10_000, 0);

        List<StoredSession> all = store.queryTagged(SessionQuery.ALL);
        assertThat(all).hasSize(3);
        StoredSession ssh = all.stream().filter(s -> s.row().clientAddr().equals(IpAddr.parse("10.1.0.1"))).findFirst().orElseThrow();
        assertThat(ssh.tags()).isEqualTo(toyPolicy("v1").tag(6, null, 0, null, 22));

        Optional<String> none = Optional.empty();
        assertThat(store.query(tagged(none, Optional.of("no-ssh"), none, none))).extracting(r -> r.clientAddr().toString())
                .containsExactlyInAnyOrder("10.1.0.1", "10.1.0.3");
        assertThat(store.query(tagged(none, Optional.of("no-ssh-reverse"), none, none))).hasSize(2);
        assertThat(store.query(tagged(Optional.of("infra"), none, none, none))).hasSize(2);
        assertThat(store.query(tagged(Optional.of("clients"), none, none, none))).hasSize(3);
        assertThat(store.query(tagged(Optional.of("client"), none, none, none))).as("a whole group name, not a prefix").isEmpty();
        assertThat(store.query(tagged(none, none, Optional.of("HTTPS"), none))).extracting(r -> r.server().port()).containsExactly(443);
        assertThat(store.query(tagged(none, none, none, Optional.of("v2")))).isEmpty();
    }

    @Test
    void aSessionShowsTheTagsOfItsLatestRowAndIsSummedWhole() throws Exception {
        AtomicReference<SessionTagger> current = new AtomicReference<>(toyPolicy("v1"));
        FlowStore store = new FlowStore(dir, current::get);
        store.initialise();
        // an interim export under v1, then the same session live under v2, which no longer drops SSH
        store.write(List.of(row("10.1.0.1", 22, 1000, EndReason.ACTIVE_TIMEOUT, 3)), List.of(), 10_000, 0);
        current.set((protocol, client, clientPort, server, serverPort) ->
                new SessionTags(List.of("clients"), List.of(), List.of("SSH"), "p1", "allow-ssh", "allow-ssh", "forward", "v2"));
        store.write(List.of(), List.of(row("10.1.0.1", 22, 1000, EndReason.LIVE, 2)), 20_000, 0);

        Optional<String> none = Optional.empty();
        assertThat(store.query(tagged(none, Optional.of("no-ssh"), none, none))).isEmpty();
        List<StoredSession> now = store.queryTagged(tagged(none, Optional.of("allow-ssh"), none, none));
        assertThat(now).hasSize(1);
        assertThat(now.getFirst().row().clientPackets()).isEqualTo(5);
        assertThat(now.getFirst().tags().policyVersion()).isEqualTo("v2");
    }

    @Test
    void aVrfIdAboveTwoToThe31IsFoundByItsOwnId() throws Exception {
        FlowStore store = new FlowStore(dir);
        store.initialise();
        int vrf = (int) 3_000_000_000L; // ingressVRFID is unsigned 32 bits
        SessionRow r = row("10.1.0.1", 22, 1000, EndReason.IDLE_TIMEOUT, 3);
        store.write(List.of(new SessionRow(vrf, r.protocol(), r.client(), r.server(), r.clientPackets(), r.clientOctets(),
                r.clientTcpFlags(), r.serverPackets(), r.serverOctets(), r.serverTcpFlags(), r.state(), r.firstMillis(), r.lastMillis(),
                r.evidence(), r.records(), r.reason())), List.of(), 10_000, 0);
        List<SessionRow> found = store.query(new SessionQuery(Optional.of(vrf), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 10));
        assertThat(found).singleElement().satisfies(s -> assertThat(Integer.toUnsignedLong(s.vrf())).isEqualTo(3_000_000_000L));
    }

    @Test
    void aStoreMadeBeforeTagsExistedOpensKeepsItsRowsAndTakesTaggedOnes() throws Exception {
        // the version-1 schema, as the collector created it before tags were stored
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(FlowStore.FILE).toAbsolutePath());
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INTEGER)");
            st.execute("INSERT INTO schema_version VALUES (1)");
            for (String t : List.of("sessions", "live_sessions")) {
                st.execute("CREATE TABLE " + t + " (vrf BIGINT, protocol INTEGER, client_addr VARCHAR, client_port INTEGER,"
                        + " server_addr VARCHAR, server_port INTEGER, client_packets BIGINT, client_octets BIGINT,"
                        + " client_tcp_flags INTEGER, server_packets BIGINT, server_octets BIGINT, server_tcp_flags INTEGER,"
                        + " state VARCHAR, first_ms BIGINT, last_ms BIGINT, evidence VARCHAR, records BIGINT,"
                        + " end_reason VARCHAR, written_ms BIGINT)");
            }
            st.execute("INSERT INTO sessions VALUES (0, 6, '10.1.0.9', 40000, '10.9.0.1', 22, 7, 700, 27, 7, 700, 27,"
                    + " 'complete', 500, 1500, 'tcp_flags', 1, 'idle_timeout', 5000)");
        }
        FlowStore store = new FlowStore(dir, () -> toyPolicy("v1"));
        store.initialise();
        store.initialise(); // idempotent
        store.write(List.of(row("10.1.0.1", 22, 1000, EndReason.IDLE_TIMEOUT, 3)), List.of(), 10_000, 0);

        List<StoredSession> all = store.queryTagged(SessionQuery.ALL);
        assertThat(all).hasSize(2);
        StoredSession old = all.stream().filter(s -> s.row().clientAddr().equals(IpAddr.parse("10.1.0.9"))).findFirst().orElseThrow();
        assertThat(old.row().clientPackets()).isEqualTo(7);
        assertThat(old.tags()).isEqualTo(SessionTags.NONE);
        assertThat(store.query(tagged(Optional.empty(), Optional.of("no-ssh"), Optional.empty(), Optional.empty())))
                .extracting(r -> r.clientAddr().toString()).containsExactly("10.1.0.1");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(FlowStore.FILE).toAbsolutePath());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(FlowStore.SCHEMA_VERSION);
            assertThat(rs.next()).isFalse();
        }
    }
}
