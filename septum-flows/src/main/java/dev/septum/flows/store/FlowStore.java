package dev.septum.flows.store;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Sessions on disk, in DuckDB ({@code <data-dir>/flows.duckdb}). Exported rows (interim and final,
 * carrying deltas) go to {@code sessions}; {@code live_sessions} is replaced on every flush with the
 * live table's not-yet-exported part, so summing both per session gives its totals.
 *
 * <p>DuckDB locks the whole file for a writer, so the writer opens it only for the length of a flush;
 * readers open it read-only between flushes and retry briefly when a flush holds it.
 */
public final class FlowStore {
    public static final String FILE = "flows.duckdb";
    static final int SCHEMA_VERSION = 1;
    private static final String COLUMNS = """
            vrf BIGINT, protocol INTEGER, client_addr VARCHAR, client_port INTEGER,
            server_addr VARCHAR, server_port INTEGER,
            client_packets BIGINT, client_octets BIGINT, client_tcp_flags INTEGER,
            server_packets BIGINT, server_octets BIGINT, server_tcp_flags INTEGER,
            state VARCHAR, first_ms BIGINT, last_ms BIGINT, evidence VARCHAR, records BIGINT,
            end_reason VARCHAR, written_ms BIGINT""";

    private static final java.sql.Driver DRIVER = new org.duckdb.DuckDBDriver();
    private final Path file;

    public FlowStore(Path dataDir) {
        this.file = dataDir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    private Connection open(boolean readOnly) throws SQLException {
        Properties p = new Properties();
        if (readOnly) {
            p.setProperty("duckdb.read_only", "true");
        }
        // The driver directly, not DriverManager: its service lookup depends on the calling thread's
        // context class loader, which pool threads and fat jars do not always have right.
        return DRIVER.connect("jdbc:duckdb:" + file.toAbsolutePath(), p);
    }

    /** Another process's flush holds the file lock, or this process has it open in the other mode. */
    private static boolean busy(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("lock") || m.contains("different configuration");
    }

    /**
     * Opens with retries while the file is busy. A reader in the collector's own process cannot open
     * read-only while the writer's connection is open (DuckDB shares one instance per file and
     * process), so a reader falls back to a normal connection after the first refusal.
     */
    private Connection openWhenFree(boolean readOnly) throws SQLException {
        SQLException last = null;
        boolean ro = readOnly;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return open(ro);
            } catch (SQLException e) {
                if (!busy(e)) {
                    throw e;
                }
                last = e;
                if (String.valueOf(e.getMessage()).contains("different configuration")) {
                    ro = false;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }

    /** Creates the tables when absent; idempotent, recorded in schema_version. */
    public void initialise() throws SQLException {
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create data directory " + file.getParent() + ": " + e.getMessage(), e);
        }
        try (Connection c = openWhenFree(false); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)");
            st.execute("CREATE TABLE IF NOT EXISTS sessions (" + COLUMNS + ")");
            st.execute("CREATE TABLE IF NOT EXISTS live_sessions (" + COLUMNS + ")");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM schema_version")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    st.execute("INSERT INTO schema_version VALUES (" + SCHEMA_VERSION + ")");
                }
            }
        }
    }

    /**
     * One flush: appends exported rows, replaces the live snapshot, applies retention. Runs in one
     * transaction, so a reader sees the previous flush or this one, never half.
     */
    public void write(List<SessionRow> exported, List<SessionRow> live, long nowMs, long retentionMs)
            throws SQLException {
        try (Connection c = openWhenFree(false)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                append(c, "sessions", exported, nowMs);
                st.execute("DELETE FROM live_sessions");
                append(c, "live_sessions", live, nowMs);
                if (retentionMs > 0) {
                    // By write time, not flow time: a replayed pcap from last year is still today's data.
                    st.execute("DELETE FROM sessions WHERE written_ms < " + (nowMs - retentionMs));
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void append(Connection c, String table, List<SessionRow> rows, long nowMs) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            for (SessionRow r : rows) {
                a.beginRow()
                        .append((long) Integer.toUnsignedLong(r.vrf())).append(r.protocol())
                        .append(r.clientAddr().toString()).append(r.client().port())
                        .append(r.serverAddr().toString()).append(r.server().port())
                        .append(r.clientPackets()).append(r.clientOctets()).append(r.clientTcpFlags())
                        .append(r.serverPackets()).append(r.serverOctets()).append(r.serverTcpFlags())
                        .append(r.state().label()).append(r.firstMillis()).append(r.lastMillis())
                        .append(r.evidence().name().toLowerCase(java.util.Locale.ROOT)).append(r.records())
                        .append(r.reason().name().toLowerCase(java.util.Locale.ROOT)).append(nowMs)
                        .endRow();
            }
        }
    }

    /**
     * Sessions matching the query, one row per session (exported deltas and the live part summed),
     * most recent first. The reason is that of the session's latest row ({@code live} while it lives).
     */
    public List<SessionRow> query(SessionQuery q) throws SQLException {
        if (!Files.exists(file)) {
            return List.of();
        }
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        q.vrf().ifPresent(v -> { where.append(" AND vrf = ?"); args.add((long) v); });
        q.protocol().ifPresent(v -> { where.append(" AND protocol = ?"); args.add(v); });
        q.address().ifPresent(v -> { where.append(" AND (client_addr = ? OR server_addr = ?)"); args.add(v); args.add(v); });
        q.serverPort().ifPresent(v -> { where.append(" AND server_port = ?"); args.add(v); });
        q.sinceMs().ifPresent(v -> { where.append(" AND last_ms >= ?"); args.add(v); });
        q.untilMs().ifPresent(v -> { where.append(" AND first_ms <= ?"); args.add(v); });
        String sql = "SELECT vrf, protocol, client_addr, client_port, server_addr, server_port,"
                + " sum(client_packets), sum(client_octets), bit_or(client_tcp_flags),"
                + " sum(server_packets), sum(server_octets), bit_or(server_tcp_flags),"
                + " bool_or(state = 'complete'), min(first_ms), max(last_ms), any_value(evidence), sum(records),"
                + " arg_max(end_reason, written_ms * 2 + (end_reason = 'live')::INTEGER)"
                + " FROM (SELECT * FROM sessions UNION ALL SELECT * FROM live_sessions)" + where
                + " GROUP BY vrf, protocol, client_addr, client_port, server_addr, server_port, first_ms"
                + " ORDER BY max(last_ms) DESC, server_addr, server_port, client_addr, client_port LIMIT " + q.limit();
        try (Connection c = openWhenFree(true); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<SessionRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    private static SessionRow row(ResultSet rs) throws SQLException {
        return new SessionRow((int) rs.getLong(1), rs.getInt(2),
                new Endpoint(IpAddr.parse(rs.getString(3)), rs.getInt(4)),
                new Endpoint(IpAddr.parse(rs.getString(5)), rs.getInt(6)),
                rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getLong(10), rs.getLong(11), rs.getInt(12),
                rs.getBoolean(13) ? SessionState.COMPLETE : SessionState.HALF_OPEN, rs.getLong(14), rs.getLong(15),
                DirectionEvidence.valueOf(rs.getString(16).toUpperCase(java.util.Locale.ROOT)), rs.getLong(17),
                EndReason.valueOf(rs.getString(18).toUpperCase(java.util.Locale.ROOT)));
    }
}
