package dev.septum.flows.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionColumns;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.tag.SessionTagger;
import dev.septum.flows.tag.SessionTags;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live part's narrow rows ({@link LiveRows}) read through {@code live_sessions} exactly as the
 * rows of {@code sessions} read, and a store whose {@code live_sessions} was a table is converted
 * without losing a session.
 */
class LiveRowsTest {
    @TempDir
    Path dir;

    /** Tags for HTTPS, none for anything else: live rows with and without a set of tags. */
    static final SessionTagger HTTPS_ONLY = (protocol, client, clientPort, server, serverPort) -> serverPort == 443
            ? new SessionTags(List.of("web", "clients"), List.of("servers"), List.of("HTTPS"), "p1", "r1", "r1", "forward", "v7")
            : SessionTags.NONE;

    static SessionRow row(int vrf, String client, String server, int serverPort, SessionState state, DirectionEvidence evidence,
                          long packets, EndReason reason) {
        return new SessionRow(vrf, 6, new Endpoint(IpAddr.parse(client), 40000 + (int) packets), new Endpoint(IpAddr.parse(server), serverPort),
                packets, packets * 100, 0x1B, state == SessionState.HALF_OPEN ? 0 : packets, packets * 90, 0x12, state,
                1000 + packets, 2000 + packets, evidence, packets, reason);
    }

    /** Every state, evidence, address family (and edge addresses), VRF above 2^31, tagged and not; one session per key. */
    static List<SessionRow> variety(EndReason reason) {
        List<SessionRow> rows = new ArrayList<>();
        String[][] pairs = {{"10.1.0.1", "10.9.0.1"}, {"0.0.0.0", "255.255.255.255"}, {"2001:db8::1", "2001:db8:0:1::80"},
            {"::1", "fe80::1:2:3:4"}, {"192.0.2.7", "2001:db8::7"}};
        int i = 0;
        for (String[] p : pairs) {
            for (SessionState state : SessionState.values()) {
                for (DirectionEvidence evidence : DirectionEvidence.values()) {
                    i++;
                    rows.add(row(i % 3 == 0 ? (int) 3_000_000_000L : i % 3, p[0], p[1], i % 2 == 0 ? 443 : 22, state, evidence, i, reason));
                }
            }
        }
        return rows;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(FlowStore.FILE).toAbsolutePath());
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theLiveViewHoldsTheColumnsAndValuesTheSessionsTableHoldsForTheSameRows() throws Exception {
        FlowStore store = new FlowStore(dir, () -> HTTPS_ONLY);
        store.initialise();
        List<SessionRow> rows = variety(EndReason.LIVE);
        store.write(rows, rows, 10_000, 0);

        assertThat(count("SELECT count(*) FROM live_sessions")).isEqualTo(rows.size());
        assertThat(count("SELECT count(*) FROM (SELECT * FROM live_sessions EXCEPT ALL SELECT * FROM sessions)")).isZero();
        assertThat(count("SELECT count(*) FROM (SELECT * FROM sessions EXCEPT ALL SELECT * FROM live_sessions)")).isZero();
        // the same names and types, so a reader's UNION ALL and any column it names read the same
        assertThat(count("SELECT count(*) FROM (SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'live_sessions'"
                + " EXCEPT SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'sessions')")).isZero();
    }

    /** A store tagging with {@link #HTTPS_ONLY} whose live part is {@code live}, written whole. */
    FlowStore storeHolding(List<SessionRow> live) throws SQLException {
        FlowStore store = new FlowStore(dir, () -> HTTPS_ONLY);
        store.initialise();
        store.write(List.of(), live, 10_000, 0);
        return store;
    }

    @Test
    void aDeltaFlushReplacesChangedSessionsOfEitherFamilyAndRemovesEndedOnes() throws Exception {
        List<SessionRow> live = variety(EndReason.LIVE);
        FlowStore store = storeHolding(live);

        SessionRow v6 = live.stream().filter(r -> r.clientAddr().v6() && r.server().port() == 443).findFirst().orElseThrow();
        SessionRow v4 = live.stream().filter(r -> !r.clientAddr().v6() && r.server().port() == 22).findFirst().orElseThrow();
        SessionRow grown = new SessionRow(v6.vrf(), v6.protocol(), v6.client(), v6.server(), v6.clientPackets() + 50, v6.clientOctets(),
                v6.clientTcpFlags(), v6.serverPackets(), v6.serverOctets(), v6.serverTcpFlags(), v6.state(), v6.firstMillis(),
                v6.lastMillis() + 5, v6.evidence(), v6.records() + 1, EndReason.LIVE);
        SessionRow ended = new SessionRow(v4.vrf(), v4.protocol(), v4.client(), v4.server(), 1, 1, 0, 0, 0, 0, v4.state(),
                v4.firstMillis(), v4.lastMillis(), v4.evidence(), 1, EndReason.IDLE_TIMEOUT);
        FlowStore.FlushPlan plan = store.planFlush();
        assertThat(plan.wholeLive()).as("the tagger is the committed one").isFalse();
        store.write(plan, List.of(ended), SessionColumns.of(List.of(grown)), 20_000, 0);

        assertThat(count("SELECT count(*) FROM live_sessions")).isEqualTo(live.size() - 1);
        List<StoredSession> now = store.queryTagged(SessionQuery.ALL);
        assertThat(now).hasSize(live.size());
        StoredSession g = now.stream().filter(s -> s.row().client().equals(v6.client()) && s.row().server().equals(v6.server())
                && s.row().firstMillis() == v6.firstMillis()).findFirst().orElseThrow();
        assertThat(g.row().clientPackets()).isEqualTo(v6.clientPackets() + 50);
        assertThat(g.tags()).isEqualTo(HTTPS_ONLY.tag(6, null, 0, null, 443));
        StoredSession e = now.stream().filter(s -> s.row().client().equals(v4.client()) && s.row().server().equals(v4.server())
                && s.row().firstMillis() == v4.firstMillis()).findFirst().orElseThrow();
        assertThat(e.row().reason()).isEqualTo(EndReason.IDLE_TIMEOUT);
        assertThat(e.row().clientPackets()).as("its live row is gone, its final row counts").isEqualTo(1);
    }

    @Test
    void aDeltaFlushReplacesTheLiveRowOfASessionWhoseClientAndServerSwappedSinceItWasWritten() throws Exception {
        List<SessionRow> live = variety(EndReason.LIVE);
        FlowStore store = storeHolding(live);

        // fan-in evidence moved: every session is now decided the other way round, with more packets
        List<SessionRow> swapped = live.stream().map(r -> new SessionRow(r.vrf(), r.protocol(), r.server(), r.client(),
                r.serverPackets() + 1, r.serverOctets(), r.serverTcpFlags(), r.clientPackets(), r.clientOctets(), r.clientTcpFlags(),
                r.state(), r.firstMillis(), r.lastMillis() + 5, r.evidence(), r.records() + 1, EndReason.LIVE)).toList();
        FlowStore.FlushPlan plan = store.planFlush();
        assertThat(plan.wholeLive()).isFalse();
        store.write(plan, List.of(), SessionColumns.of(swapped), 20_000, 0);

        assertThat(count("SELECT count(*) FROM live_sessions")).as("one live row per session, the new one").isEqualTo(live.size());
        assertThat(store.query(SessionQuery.ALL)).extracting(r -> r.client() + " " + r.server() + " " + r.clientPackets())
                .containsExactlyInAnyOrderElementsOf(swapped.stream().map(r -> r.client() + " " + r.server() + " " + r.clientPackets()).toList());
    }

    @Test
    void aStoreWhoseLiveSessionsWasATableKeepsThemAsRestartedAndTakesNewLiveRows() throws Exception {
        // schema version 2, as the collector made it before live rows were narrowed, with a session live in it
        String v2 = "vrf BIGINT, protocol INTEGER, client_addr VARCHAR, client_port INTEGER, server_addr VARCHAR, server_port INTEGER,"
                + " client_packets BIGINT, client_octets BIGINT, client_tcp_flags INTEGER, server_packets BIGINT, server_octets BIGINT,"
                + " server_tcp_flags INTEGER, state VARCHAR, first_ms BIGINT, last_ms BIGINT, evidence VARCHAR, records BIGINT,"
                + " end_reason VARCHAR, written_ms BIGINT, client_groups VARCHAR DEFAULT '', server_groups VARCHAR DEFAULT '',"
                + " services VARCHAR DEFAULT '', policy VARCHAR DEFAULT '', rule VARCHAR DEFAULT '', match_name VARCHAR DEFAULT '',"
                + " verdict VARCHAR DEFAULT '', policy_version VARCHAR DEFAULT ''";
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INTEGER)");
            st.execute("INSERT INTO schema_version VALUES (2)");
            st.execute("CREATE TABLE sessions (" + v2 + ")");
            st.execute("CREATE TABLE live_sessions (" + v2 + ")");
            st.execute("INSERT INTO live_sessions VALUES (0, 6, '2001:db8::5', 40000, '10.9.0.1', 443, 7, 700, 27, 7, 700, 18,"
                    + " 'complete', 500, 1500, 'ports', 3, 'live', 5000, 'web', 'servers', 'HTTPS', 'p1', 'r1', 'r1', 'forward', 'v6')");
        }
        FlowStore store = new FlowStore(dir, () -> HTTPS_ONLY);
        assertThat(store.initialise()).isEqualTo(1);
        store.write(List.of(), List.of(row(0, "10.1.0.1", "10.9.0.1", 443, SessionState.COMPLETE, DirectionEvidence.PORTS, 4,
                EndReason.LIVE)), 10_000, 0);

        List<StoredSession> all = store.queryTagged(SessionQuery.ALL);
        assertThat(all).extracting(s -> s.row().clientAddr().toString() + " " + s.row().reason() + " " + s.row().clientPackets()
                + " " + s.tags().policyVersion()).containsExactlyInAnyOrder("2001:db8::5 RESTART 7 v6", "10.1.0.1 LIVE 4 v7");
        assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'live_sessions' AND table_type = 'VIEW'"))
                .isEqualTo(1);
        assertThat(count("SELECT max(version) FROM schema_version")).isEqualTo(FlowStore.SCHEMA_VERSION);
        store.initialise(); // the running collector's sessions are kept the same way
        assertThat(store.query(SessionQuery.ALL)).extracting(r -> r.reason().name()).containsExactlyInAnyOrder("RESTART", "RESTART");
    }

    @Test
    void aStoreOfANewerSchemaIsRefusedWithItsRowsUntouched() throws Exception {
        FlowStore store = new FlowStore(dir);
        store.initialise();
        store.write(List.of(row(0, "10.1.0.1", "10.9.0.1", 22, SessionState.COMPLETE, DirectionEvidence.PORTS, 4, EndReason.IDLE_TIMEOUT)),
                List.of(row(0, "10.1.0.2", "10.9.0.1", 22, SessionState.COMPLETE, DirectionEvidence.PORTS, 4, EndReason.LIVE)), 10_000, 0);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("UPDATE schema_version SET version = " + (FlowStore.SCHEMA_VERSION + 1));
        }
        assertThatThrownBy(store::initialise).isInstanceOf(SQLException.class)
                .hasMessageContaining("newer Septum").hasMessageContaining("--data-dir");
        assertThat(store.query(SessionQuery.ALL)).extracting(r -> r.reason().name()).containsExactlyInAnyOrder("IDLE_TIMEOUT", "LIVE");
    }
}
