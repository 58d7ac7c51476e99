package dev.septum.flows.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.FlowRecord;
import dev.septum.flows.IpAddr;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.SessionColumns;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionTable;
import dev.septum.flows.session.SessionTimeouts;
import dev.septum.flows.tag.SessionTagger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flushes that write only the live sessions changed since the previous flush: a real session table,
 * the real writer and DuckDB, flushed by hand (the writer's timer is set to an hour).
 */
class DeltaFlushTest {
    static final InetSocketAddress EXPORTER = new InetSocketAddress("127.0.0.1", 1);
    static final long ACTIVE_MS = 60_000;

    @TempDir
    Path dir;
    final AtomicReference<SessionTagger> tagger = new AtomicReference<>(SessionTagger.NONE);
    SessionTable table;
    /** The snapshot's columns, reused flush after flush as the collector reuses its own. */
    final SessionColumns columns = new SessionColumns();
    FlowStore store;
    StoreWriter writer;

    @BeforeEach
    void start() throws Exception {
        store = new FlowStore(dir, tagger::get);
        store.initialise();
        startWriter();
    }

    void startWriter() {
        // the writer's listener is the table's, so exported rows reach its queue as in the collector
        StoreWriter[] w = new StoreWriter[1];
        table = new SessionTable(new SessionTimeouts(10_000, 10_000, ACTIVE_MS, 5_000), 10_000, row -> w[0].exported(row));
        table.setNow(0);
        w[0] = new StoreWriter(store, (changedOnly, cut) -> {
            cut.run();
            SessionTable.Snapshot s = table.storeSnapshotInSteps(changedOnly, columns);
            while (s.next(2)) {
                // steps of two, as the collector takes them under its lock
            }
            return new LiveSessions.Read(columns, s.sessions(), s.changed());
        }, 3_600_000, 0, 10_000);
        writer = w[0];
    }

    @AfterEach
    void stop() {
        writer.close();
    }

    /** One biflow record of client 10.1.0.N:40000 → 10.2.0.1:443 with that many packets each way. */
    void record(int client, long packets, long startMs) {
        table.accept(new FlowRecord(EXPORTER, 1, 0, IpAddr.parse("10.1.0." + client), IpAddr.parse("10.2.0.1"), 40000, 443, 6,
                0x1A, packets * 100, packets, 0x1A, packets * 200, packets, true, startMs, startMs + 100, 0, 1));
    }

    SessionRow stored(int client) throws Exception {
        return store.query(SessionQuery.ALL).stream().filter(r -> r.clientAddr().equals(IpAddr.parse("10.1.0." + client)))
                .findFirst().orElseThrow();
    }

    /** Rows of one client in a table of the file, read directly: what a query would sum. */
    long rowsOf(String storeTable, int client) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + store.file().toAbsolutePath(), readOnly());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + storeTable + " WHERE client_addr = '10.1.0." + client + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static java.util.Properties readOnly() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("duckdb.read_only", "true");
        return p;
    }

    @Test
    void aSessionUpdatedAcrossFlushesIsStoredOnceWithItsNewestCountersAndAnUnchangedOneIsNotRewritten() throws Exception {
        record(1, 3, 1000);
        record(2, 4, 1000);
        writer.flushNow();
        assertThat(writer.liveWritten()).as("the first flush writes the live part whole").isEqualTo(2);

        record(1, 5, 1200);
        writer.flushNow();
        assertThat(writer.liveWritten()).as("only the changed session").isEqualTo(3);
        writer.flushNow();
        assertThat(writer.liveWritten()).as("nothing changed").isEqualTo(3);

        assertThat(store.query(SessionQuery.ALL)).hasSize(2);
        assertThat(stored(1).clientPackets()).isEqualTo(8);
        assertThat(stored(1).serverOctets()).isEqualTo(1600);
        assertThat(stored(1).records()).isEqualTo(2);
        assertThat(stored(2).clientPackets()).isEqualTo(4);
        assertThat(rowsOf("live_sessions", 1)).isEqualTo(1);
        assertThat(rowsOf("live_sessions", 2)).isEqualTo(1);
    }

    @Test
    void anEndedSessionMovesFromLiveToFinalExactlyOnceAndANewSessionOnItsKeyStaysLive() throws Exception {
        record(1, 3, 1000);
        record(2, 4, 1000);
        record(3, 2, 1000);
        writer.flushNow();
        table.setNow(5_000);
        record(2, 1, 5000);
        table.expire(12_000); // sessions 1 and 3 idle for 12 s: ended; session 2 stays
        record(1, 6, 13_000); // the same key again: a new session
        writer.flushNow();

        assertThat(rowsOf("sessions", 3)).isEqualTo(1);
        assertThat(rowsOf("live_sessions", 3)).as("its final row replaces it").isZero();

        assertThat(rowsOf("sessions", 1)).isEqualTo(1);
        assertThat(rowsOf("live_sessions", 1)).as("the new session's").isEqualTo(1);
        List<SessionRow> client1 = store.query(SessionQuery.ALL).stream()
                .filter(r -> r.clientAddr().equals(IpAddr.parse("10.1.0.1"))).toList();
        assertThat(client1).extracting(SessionRow::reason).containsExactlyInAnyOrder(EndReason.IDLE_TIMEOUT, EndReason.LIVE);
        assertThat(client1).extracting(SessionRow::clientPackets).containsExactlyInAnyOrder(3L, 6L);

        writer.flushNow(); // nothing changed: the ended session's final row is not written again
        assertThat(rowsOf("sessions", 1)).isEqualTo(1);
        assertThat(rowsOf("live_sessions", 1)).isEqualTo(1);
        assertThat(stored(2).clientPackets()).isEqualTo(5);

        table.expire(40_000);
        writer.close();
        assertThat(rowsOf("live_sessions", 1) + rowsOf("live_sessions", 2)).isZero();
        assertThat(store.query(SessionQuery.ALL)).extracting(SessionRow::clientPackets).containsExactlyInAnyOrder(3L, 6L, 5L, 2L);
    }

    @Test
    void anInterimExportLeavesTheTotalsAsTheyWere() throws Exception {
        record(1, 3, 1000);
        writer.flushNow();
        table.setNow(ACTIVE_MS - 1_000);
        record(1, 2, 2000);
        table.expire(ACTIVE_MS); // interim row for 5 packets; the live part is now empty
        writer.flushNow();
        record(1, 4, 3000);
        writer.flushNow();

        assertThat(rowsOf("sessions", 1)).isEqualTo(1);
        assertThat(rowsOf("live_sessions", 1)).isEqualTo(1);
        assertThat(stored(1).clientPackets()).isEqualTo(9);
        assertThat(stored(1).reason()).isEqualTo(EndReason.LIVE);
    }

    @Test
    void afterAFlushInWhichMostOfALargeTableChangedTheNextWritesTheLivePartWhole() throws Exception {
        int n = StoreWriter.WHOLE_MIN_SESSIONS + 4;
        for (int i = 0; i < n; i++) {
            table.accept(new FlowRecord(EXPORTER, 1, 0, IpAddr.v4(0x0A010000L + i), IpAddr.parse("10.2.0.1"), 40000, 443, 6,
                    0x1A, 100, 1, 0x1A, 200, 1, true, 1000, 1100, 0, 1));
        }
        writer.flushNow(); // the first: whole, and every session changed
        record(1, 1, 2000);
        writer.flushNow(); // whole again, as most changed the flush before
        assertThat(writer.liveWritten()).isEqualTo(2L * n);
        record(1, 1, 3000);
        writer.flushNow(); // one of n changed before: only it
        assertThat(writer.liveWritten()).isEqualTo(2L * n + 1);
        assertThat(store.query(SessionQuery.ALL)).hasSize(n);
    }

    @Test
    void aNewTaggerRewritesEveryLiveSessionWithItsTags() throws Exception {
        record(1, 3, 1000);
        record(2, 4, 1000);
        writer.flushNow();
        tagger.set(FlowStoreTagsTest.toyPolicy("v2"));
        writer.flushNow();

        assertThat(writer.liveWritten()).isEqualTo(4);
        assertThat(store.queryTagged(SessionQuery.ALL)).allSatisfy(s -> assertThat(s.tags().policyVersion()).isEqualTo("v2"));
    }

    @Test
    void aCollectorStartedAfterACrashKeepsTheLiveRowsOfTheLastFlushEndedByRestart() throws Exception {
        record(1, 3, 1000);
        writer.flushNow();
        // the process dies here (its writer is never closed: no final rows), its live row stays on disk
        // as of the last flush; a new process opens the store
        store = new FlowStore(dir, tagger::get);
        assertThat(store.initialise()).isEqualTo(1);
        startWriter();
        record(2, 4, 1000);
        writer.flushNow();

        // the session of the dead process is kept, ended by the restart; the new one is live
        assertThat(store.query(SessionQuery.ALL)).extracting(r -> r.clientAddr().toString() + " " + r.reason())
                .containsExactlyInAnyOrder("10.1.0.1 RESTART", "10.1.0.2 LIVE");
    }
}
