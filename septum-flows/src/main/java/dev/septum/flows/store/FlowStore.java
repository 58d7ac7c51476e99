package dev.septum.flows.store;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.SessionColumns;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.tag.SessionTagger;
import dev.septum.flows.tag.SessionTags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Sessions on disk, in DuckDB ({@code <data-dir>/flows.duckdb}). Exported rows (interim and final,
 * carrying deltas) go to {@code sessions}; {@code live_sessions} shows the live table's
 * not-yet-exported part as of the last flush, in the same columns, so summing both per session gives
 * its totals. It is a view over the narrower rows a flush writes ({@link LiveRows}).
 *
 * <p>DuckDB locks the whole file for a writer, so the writer opens it only for the length of a flush;
 * readers open it read-only between flushes and retry briefly when a flush holds it.
 *
 * <p>Each row carries the tags the store's {@link SessionTagger} gave it when written (groups,
 * services, deciding policy, rule and match, verdict, policy version; lists space-separated, as
 * names have no spaces), so "what hit drop_all_else_web-app" is one query. A store made before the
 * tags existed gains the columns when opened, its rows tagged with empty strings.
 */
public final class FlowStore {
    public static final String FILE = "flows.duckdb";
    static final int SCHEMA_VERSION = 3;
    private static final String COLUMNS = """
            vrf BIGINT, protocol INTEGER, client_addr VARCHAR, client_port INTEGER,
            server_addr VARCHAR, server_port INTEGER,
            client_packets BIGINT, client_octets BIGINT, client_tcp_flags INTEGER,
            server_packets BIGINT, server_octets BIGINT, server_tcp_flags INTEGER,
            state VARCHAR, first_ms BIGINT, last_ms BIGINT, evidence VARCHAR, records BIGINT,
            end_reason VARCHAR, written_ms BIGINT""";
    /** Added in schema version 2, after every column of version 1, so old and new tables have one column order. */
    static final List<String> TAG_COLUMNS = List.of("client_groups", "server_groups", "services", "policy", "rule",
            "match_name", "verdict", "policy_version");
    /** The row of a session that counts as its latest: the last written, the live one on a tie. */
    private static final String LATEST = "written_ms * 2 + (end_reason = 'live')::INTEGER";
    /** What makes stored rows one session: its exports and its live row share these. */
    private static final String SESSION_KEY = "vrf, protocol, client_addr, client_port, server_addr, server_port, first_ms";
    /** The columns a session's rows are read from, without the tags. */
    private static final String ROW_COLUMNS = "vrf, protocol, client_addr, client_port, server_addr, server_port, client_packets,"
            + " client_octets, client_tcp_flags, server_packets, server_octets, server_tcp_flags, first_ms, last_ms, evidence, records,"
            + " end_reason, written_ms";
    /** A row exported before its session ended: only such a session has more than one row. */
    private static final String INTERIM = "end_reason = 'active_timeout'";
    /** A session's columns, as {@link #row} reads them, from its rows. */
    private static final String PER_SESSION = "SELECT vrf, protocol, client_addr, client_port, server_addr, server_port,"
            + " sum(client_packets) AS cp, sum(client_octets) AS co, bit_or(client_tcp_flags) AS cf,"
            + " sum(server_packets) AS sp, sum(server_octets) AS so, bit_or(server_tcp_flags) AS sf,"
            + " min(first_ms) AS first_seen, max(last_ms) AS last_seen, any_value(evidence) AS ev, sum(records) AS recs,"
            + " arg_max(end_reason, " + LATEST + ") AS reason";

    private static final java.sql.Driver DRIVER = new org.duckdb.DuckDBDriver();
    private final Path file;
    private final Supplier<? extends SessionTagger> tagger;
    /** The tagger of the last committed flush; null before the first and after a failed one. */
    private volatile SessionTagger committedTagger;
    /** The live part's layout on disk and the ids of its sets of tags; written under this store's lock. */
    private final LiveRows liveRows = new LiveRows();
    /** Attaches the file for each flush; written under this store's lock. */
    private final FlushInstance writer;

    /** A store that writes sessions untagged (and reads any). */
    public FlowStore(Path dataDir) {
        this(dataDir, () -> SessionTagger.NONE);
    }

    /**
     * @param tagger asked once per flush for the tagger to use, so a new policy version takes effect
     *               on the next flush (and on every live session, whose rows each flush replaces)
     */
    public FlowStore(Path dataDir, Supplier<? extends SessionTagger> tagger) {
        this.file = dataDir.resolve(FILE);
        this.tagger = tagger;
        this.writer = new FlushInstance(file);
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

    /**
     * Another process's flush holds the file lock, or this process has it open in the other mode, or
     * (DuckDB's "Unique file handle conflict ... is already attached") a connection of this process
     * is opening or closing the same file at the same moment: a reader racing the writer's flush.
     */
    private static boolean busy(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("lock") || m.contains("different configuration") || m.contains("already attached");
    }

    /**
     * Opens with retries while the file is busy. A reader in the collector's own process cannot open
     * read-only while another connection of the process has it open normally (DuckDB shares one
     * instance per file and process), so a reader falls back to a normal connection after such a refusal.
     */
    private Connection openWhenFree(boolean readOnly) throws SQLException {
        boolean[] readOnlyNow = {readOnly};
        return whenFree(() -> {
            try {
                return open(readOnlyNow[0]);
            } catch (SQLException e) {
                if (String.valueOf(e.getMessage()).contains("different configuration")) {
                    readOnlyNow[0] = false;
                }
                throw e;
            }
        });
    }

    /** Something that opens the file, and fails while another connection or process holds it. */
    @FunctionalInterface
    interface FileUse<T> {
        T attempt() throws SQLException;
    }

    /** Runs {@code use} until the file is free (up to 50 tries 50 ms apart), or it fails for another reason. */
    static <T> T whenFree(FileUse<T> use) throws SQLException {
        SQLException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return use.attempt();
            } catch (SQLException e) {
                if (!busy(e)) {
                    throw e;
                }
                last = e;
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

    /**
     * Creates the tables when absent and adds the tag columns to older ones; idempotent, recorded in
     * schema_version. Sessions still live in the store (left by a collector that stopped without
     * shutting down) are kept: moved to the ended sessions with reason {@code restart} and the
     * totals of the last flush, never deleted; then the live part's tables are made anew (a store of
     * version 2 or older, whose {@code live_sessions} was a table, gains {@link LiveRows}'s). Returns
     * how many sessions were moved. A store of a newer version is refused, unchanged.
     */
    public int initialise() throws SQLException {
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create data directory " + file.getParent() + ": " + e.getMessage(), e);
        }
        try (Connection c = openWhenFree(false); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)");
            int stored = storedVersion(st);
            if (stored > SCHEMA_VERSION) {
                throw new SQLException(file + " was written by a newer Septum (flow store schema version " + stored
                        + ", this one knows up to " + SCHEMA_VERSION + "): run that version, or give this one another --data-dir");
            }
            st.execute("CREATE TABLE IF NOT EXISTS sessions (" + COLUMNS + ")");
            String live = liveKind(st);
            for (String table : "BASE TABLE".equals(live) ? List.of("sessions", LiveRows.VIEW) : List.of("sessions")) {
                for (String column : TAG_COLUMNS) {
                    st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + column + " VARCHAR DEFAULT ''");
                }
            }
            c.setAutoCommit(false);
            try {
                int moved = live == null ? 0 : endLeftoverLiveSessions(st);
                st.execute("DROP " + ("VIEW".equals(live) ? "VIEW" : "TABLE") + " IF EXISTS " + LiveRows.VIEW);
                st.execute("DROP TABLE IF EXISTS " + LiveRows.TABLE);
                st.execute("DROP TABLE IF EXISTS " + LiveRows.TAGS);
                LiveRows.create(st);
                st.execute(stored == 0 ? "INSERT INTO schema_version VALUES (" + SCHEMA_VERSION + ")"
                        : "UPDATE schema_version SET version = " + SCHEMA_VERSION);
                c.commit();
                return moved;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The version recorded, 0 in a new file. */
    private static int storedVersion(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** What {@code live_sessions} is in this file: "BASE TABLE" (schema 1 and 2), "VIEW" (3 on), or null (a new file). */
    private static String liveKind(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT table_type FROM information_schema.tables WHERE table_schema = 'main'"
                + " AND table_name = '" + LiveRows.VIEW + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The live rows of a previous run become ended rows (in the caller's transaction), so its last flush loses nothing. */
    private static int endLeftoverLiveSessions(Statement st) throws SQLException {
        return st.executeUpdate("INSERT INTO sessions SELECT * REPLACE ('" + LiveRows.reason(EndReason.RESTART)
                + "' AS end_reason, " + System.currentTimeMillis() + " AS written_ms) FROM " + LiveRows.VIEW);
    }

    /**
     * What one flush writes of the live table, chosen before the table is read.
     *
     * @param tagger    tags every row of this flush
     * @param wholeLive replace the live part with the rows given; else the rows given are the live
     *                  sessions changed since the previous flush, and the others keep their rows
     */
    public record FlushPlan(SessionTagger tagger, boolean wholeLive) {
        public FlushPlan asWhole() {
            return new FlushPlan(tagger, true);
        }
    }

    /** Rows one flush wrote: exported rows appended to {@code sessions}, live rows (re)written. */
    public record Flushed(int exportedRows, int liveRows) {
    }

    /**
     * The next flush's plan. The live part is written whole when this store has committed no flush
     * yet (rows of another run may be there; {@link #initialise} ends those it finds at start), after a
     * failed flush (the changes it read are not on disk), and when the tagger changed (every live
     * session takes the new tags); otherwise only what changed.
     */
    public FlushPlan planFlush() {
        SessionTagger t = tagger.get();
        return new FlushPlan(t, t != committedTagger);
    }

    /** One flush that replaces the whole live part: {@link #write(FlushPlan, List, SessionColumns, long, long)}. */
    public Flushed write(List<SessionRow> exported, List<SessionRow> live, long nowMs, long retentionMs)
            throws SQLException {
        return write(planFlush().asWhole(), exported, SessionColumns.of(live), nowMs, retentionMs);
    }

    /**
     * One flush: appends exported rows, writes the live part (whole, or the changed sessions in place
     * of their previous rows), removes the live rows of sessions that ended, applies retention. Runs
     * in one transaction, so a reader, or a collector started after a crash, sees the previous flush
     * or this one, never half.
     */
    public synchronized Flushed write(FlushPlan plan, List<SessionRow> exported, SessionColumns live, long nowMs, long retentionMs)
            throws SQLException {
        // tagging runs before the file is opened, so the lock is held for the writing only
        SessionTagger t = plan.tagger();
        List<SessionTags> exportedTags = tags(t, exported.size(), i -> {
            SessionRow r = exported.get(i);
            return t.tag(r.protocol(), r.clientAddr(), r.client().port(), r.serverAddr(), r.server().port());
        });
        List<SessionTags> liveTags = tags(t, live.size(),
                i -> t.tag(live.protocol(i), live.clientAddr(i), live.clientPort(i), live.serverAddr(i), live.serverPort(i)));
        committedTagger = null; // until this flush commits, the next must write the live part whole
        writer.write(c -> writeFlush(c, plan, exported, exportedTags, live, liveTags, nowMs, retentionMs));
        committedTagger = plan.tagger();
        return new Flushed(exported.size(), live.size());
    }

    /** The statements of one flush, in one transaction of {@code c}. */
    private void writeFlush(Connection c, FlushPlan plan, List<SessionRow> exported, List<SessionTags> exportedTags,
                            SessionColumns live, List<SessionTags> liveTags, long nowMs, long retentionMs) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // The driver begins the transaction at its first statement; an Appender used before any commits its
            // rows on its own, so a flush that failed later kept its exported rows and the next flush, which
            // carries them, wrote them again (FlushInstanceTest).
            st.execute("SELECT 1");
            append(c, exported, exportedTags, nowMs);
            if (plan.wholeLive()) {
                st.execute("DELETE FROM " + LiveRows.TABLE);
                liveRows.forgetTagSets(st);
                liveRows.append(c, null, List.of(new LiveRows.Part(live, liveTags)), nowMs);
            } else {
                LiveDelta.apply(c, liveRows, exported, exportedTags, live, liveTags, nowMs);
            }
            if (retentionMs > 0) {
                // By write time, not flow time: a replayed pcap from last year is still today's data.
                st.execute("DELETE FROM sessions WHERE written_ms < " + (nowMs - retentionMs));
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /** The tags of {@code n} rows, row {@code i}'s from {@code tagOf}. */
    private static List<SessionTags> tags(SessionTagger t, int n, IntFunction<SessionTags> tagOf) {
        if (t == SessionTagger.NONE) {
            // a store without a policy: no row's fields need reading (100,000 live rows a flush)
            return Collections.nCopies(n, SessionTags.NONE);
        }
        List<SessionTags> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(tagOf.apply(i));
        }
        return out;
    }

    /** Appends exported rows with their tags to {@code sessions}. */
    private static void append(Connection c, List<SessionRow> rows, List<SessionTags> tags, long nowMs) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
        try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "sessions")) {
            for (int i = 0; i < rows.size(); i++) {
                SessionRow r = rows.get(i);
                SessionTags t = tags.get(i);
                a.beginRow()
                        .append((long) Integer.toUnsignedLong(r.vrf())).append(r.protocol())
                        .append(r.clientAddr().toString()).append(r.client().port())
                        .append(r.serverAddr().toString()).append(r.server().port())
                        .append(r.clientPackets()).append(r.clientOctets()).append(r.clientTcpFlags())
                        .append(r.serverPackets()).append(r.serverOctets()).append(r.serverTcpFlags())
                        .append(r.state().label()).append(r.firstMillis()).append(r.lastMillis())
                        .append(r.evidence().name().toLowerCase(java.util.Locale.ROOT)).append(r.records())
                        .append(LiveRows.reason(r.reason())).append(nowMs);
                appendTags(a, t).endRow();
            }
        }
    }

    /** A session's tags as the {@link #TAG_COLUMNS}, in that order. */
    static DuckDBAppender appendTags(DuckDBAppender a, SessionTags t) throws SQLException {
        return a.append(String.join(" ", t.clientGroups())).append(String.join(" ", t.serverGroups()))
                .append(String.join(" ", t.services())).append(t.policy()).append(t.rule()).append(t.match())
                .append(t.verdict()).append(t.policyVersion());
    }

    /**
     * Sessions matching the query, one row per session (exported deltas and the live part summed),
     * most recent first. The reason is that of the session's latest row ({@code live} while it lives).
     */
    public List<SessionRow> query(SessionQuery q) throws SQLException {
        // without a tag filter the tags are not read: a million-session read takes 3-4x less (bench/RESULTS.md)
        return select(q, !q.tags().isEmpty()).stream().map(StoredSession::row).toList();
    }

    /**
     * As {@link #query}, with each session's tags: those of its latest row, so a session that lived
     * through a new policy version shows (and is filtered by) what the newer version says.
     */
    public List<StoredSession> queryTagged(SessionQuery q) throws SQLException {
        return select(q, true);
    }

    /** The sessions {@code q} asks for, with their tags when {@code withTags}, else {@link SessionTags#NONE}. */
    private List<StoredSession> select(SessionQuery q, boolean withTags) throws SQLException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        String sql = sessionsSql(q, withTags, true, args);
        try (Connection c = openWhenFree(true); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<StoredSession> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredSession(row(rs, IpAddr::parse), withTags ? tags(rs, 18) : SessionTags.NONE));
                }
            }
            return out;
        }
    }

    /**
     * The sessions {@link #query} answers, folded inside the store into classes of sessions a reader
     * cannot tell apart: same VRF, protocol, client and server address, server port, direction
     * evidence, TCP flags of each side, whether each side sent packets (so the same
     * {@link SessionState}), and client port in the same class of {@code clientPortClassStarts}
     * (sorted starts, the first 0; port 0 is a class of its own). Each class is one row, as
     * {@link SessionClass}: its lowest client port, its counters summed, its first and last seen over
     * all its sessions, and how many sessions it holds. Classes come in the order of their first
     * session in {@link #query}'s order, so a reader folding them further meets every key in the
     * same order as from the sessions. A million sessions of a few thousand classes are read without
     * building a million rows in Java (bench/RESULTS.md, Policy Builder).
     */
    public List<SessionClass> queryClasses(SessionQuery q, int[] clientPortClassStarts) throws SQLException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        StringBuilder portClass = new StringBuilder("CASE WHEN client_port = 0 THEN -1");
        for (int i = clientPortClassStarts.length - 1; i > 0; i--) {
            portClass.append(" WHEN client_port >= ").append(clientPortClassStarts[i]).append(" THEN ").append(i);
        }
        portClass.append(" ELSE 0 END");
        try (Connection c = openWhenFree(true)) {
            // a session is one stored row or more: when the rows fit in the limit, so do the sessions, and the
            // most-recent-first cut (a full sort of the million) is not needed
            boolean cut;
            boolean interim;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM live_sessions),"
                         + " (SELECT count(*) FROM sessions WHERE " + INTERIM + ")")) {
                rs.next();
                cut = rs.getLong(1) > q.limit();
                interim = rs.getLong(2) > 0;
            }
            // uncut and untagged, each session is grouped once, into its class (see sessionsOnceSql)
            String sessions = cut || !q.tags().isEmpty() ? sessionsSql(q, false, cut, args) : sessionsOnceSql(q, interim, args);
            String sql = "SELECT vrf, protocol, client_addr, min(client_port), server_addr, server_port,"
                    + " sum(cp), sum(co), cf, sum(sp), sum(so), sf, min(first_seen), max(last_seen) AS last_class, ev, sum(recs),"
                    + " any_value(reason), count(*)"
                    + " FROM (" + sessions + ")"
                    + " GROUP BY vrf, protocol, client_addr, " + portClass + ", server_addr, server_port, cp > 0, sp > 0, cf, sf, ev"
                    + " ORDER BY last_class DESC, server_addr, server_port, client_addr, min(client_port)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                List<SessionClass> out = new ArrayList<>();
                // classes are few and share their addresses: each is parsed once
                Map<String, IpAddr> parsed = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SessionClass(row(rs, text -> parsed.computeIfAbsent(text, IpAddr::parse)), rs.getLong(18)));
                    }
                }
                return out;
            }
        }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

    /**
     * One row per session matching {@code q} (columns as {@link #row}, then the tags when asked); when
     * {@code cut}, most recent first and at most {@code q.limit()}, else every one in no order.
     */
    private static String sessionsSql(SessionQuery q, boolean withTags, boolean cut, List<Object> args) {
        String where = rowFilter(q, args);
        // tags are filtered after summing, on the session's latest tags, so no session is summed in part
        StringBuilder having = new StringBuilder(" WHERE true");
        TagFilter t = q.tags();
        t.group().ifPresent(v -> {
            having.append(" AND (list_contains(string_split(client_groups, ' '), ?) OR list_contains(string_split(server_groups, ' '), ?))");
            args.add(v);
            args.add(v);
        });
        t.rule().ifPresent(v -> { having.append(" AND (rule = ? OR match_name = ?)"); args.add(v); args.add(v); });
        t.service().ifPresent(v -> { having.append(" AND list_contains(string_split(services, ' '), ?)"); args.add(v); });
        t.policyVersion().ifPresent(v -> { having.append(" AND policy_version = ?"); args.add(v); });
        String latestTags = withTags ? ", " + TAG_COLUMNS.stream().map(col -> "arg_max(" + col + ", " + LATEST + ") AS " + col)
                .reduce((a, b) -> a + ", " + b).orElseThrow() : "";
        return "SELECT * FROM (" + PER_SESSION + latestTags + " FROM (SELECT * FROM sessions UNION ALL SELECT * FROM live_sessions)"
                + where + " GROUP BY " + SESSION_KEY + ")" + having
                + (cut ? " ORDER BY last_seen DESC, server_addr, server_port, client_addr, client_port LIMIT " + q.limit() : "");
    }

    /** The stored rows {@code q} asks for, as a WHERE clause. */
    private static String rowFilter(SessionQuery q, List<Object> args) {
        StringBuilder where = new StringBuilder(" WHERE true");
        // stored unsigned (see append): a VRF id of 2^31 or more is a negative int here
        q.vrf().ifPresent(v -> { where.append(" AND vrf = ?"); args.add(Integer.toUnsignedLong(v)); });
        q.protocol().ifPresent(v -> { where.append(" AND protocol = ?"); args.add(v); });
        q.address().ifPresent(v -> { where.append(" AND (client_addr = ? OR server_addr = ?)"); args.add(v); args.add(v); });
        q.serverPort().ifPresent(v -> { where.append(" AND server_port = ?"); args.add(v); });
        q.sinceMs().ifPresent(v -> { where.append(" AND last_ms >= ?"); args.add(v); });
        q.untilMs().ifPresent(v -> { where.append(" AND first_ms <= ?"); args.add(v); });
        return where.toString();
    }

    /**
     * The same sessions as {@link #sessionsSql} uncut and untagged, in no order, without grouping
     * every row by session. A session has more than one row only when the collector exported it
     * before it ended ({@code active_timeout}; its later rows are the next exports, its live row or
     * its final one), so only the rows of sessions with such an export are summed per session; every
     * other row is a whole session as it is; with no such export stored, every row is. On a million
     * sessions this reads 3-4x faster (bench/RESULTS.md, Policy Builder).
     *
     * @param interim whether the store holds an interim export
     */
    private static String sessionsOnceSql(SessionQuery q, boolean interim, List<Object> args) {
        String rows = "SELECT " + ROW_COLUMNS + " FROM (SELECT " + ROW_COLUMNS + " FROM sessions UNION ALL SELECT " + ROW_COLUMNS
                + " FROM live_sessions)" + rowFilter(q, args);
        String asSessions = "SELECT vrf, protocol, client_addr, client_port, server_addr, server_port, client_packets AS cp,"
                + " client_octets AS co, client_tcp_flags AS cf, server_packets AS sp, server_octets AS so, server_tcp_flags AS sf,"
                + " first_ms AS first_seen, last_ms AS last_seen, evidence AS ev, records AS recs, end_reason AS reason FROM ";
        if (!interim) {
            return asSessions + "(" + rows + ")";
        }
        return "WITH r AS (" + rows + "), exported AS (SELECT DISTINCT " + SESSION_KEY + " FROM r WHERE " + INTERIM + ")"
                + " " + PER_SESSION + " FROM r SEMI JOIN exported USING (" + SESSION_KEY + ") GROUP BY " + SESSION_KEY
                + " UNION ALL " + asSessions + "r ANTI JOIN exported USING (" + SESSION_KEY + ")";
    }

    private static SessionTags tags(ResultSet rs, int first) throws SQLException {
        return new SessionTags(names(rs.getString(first)), names(rs.getString(first + 1)), names(rs.getString(first + 2)),
                text(rs.getString(first + 3)), text(rs.getString(first + 4)), text(rs.getString(first + 5)),
                text(rs.getString(first + 6)), text(rs.getString(first + 7)));
    }

    private static List<String> names(String spaced) {
        return spaced == null || spaced.isBlank() ? List.of() : Arrays.asList(spaced.split(" "));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static SessionRow row(ResultSet rs, Function<String, IpAddr> address) throws SQLException {
        return new SessionRow((int) rs.getLong(1), rs.getInt(2),
                new Endpoint(address.apply(rs.getString(3)), rs.getInt(4)),
                new Endpoint(address.apply(rs.getString(5)), rs.getInt(6)),
                rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getLong(10), rs.getLong(11), rs.getInt(12),
                // from the session's totals, not the stored label: rows written before a refused state existed say 'complete'
                SessionState.of(rs.getInt(2), rs.getLong(7), rs.getInt(9), rs.getLong(10), rs.getInt(12)),
                rs.getLong(13), rs.getLong(14),
                DirectionEvidence.valueOf(rs.getString(15).toUpperCase(java.util.Locale.ROOT)), rs.getLong(16),
                EndReason.valueOf(rs.getString(17).toUpperCase(java.util.Locale.ROOT)));
    }
}
