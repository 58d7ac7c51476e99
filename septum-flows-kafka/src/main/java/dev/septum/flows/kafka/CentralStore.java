package dev.septum.flows.kafka;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.SessionSource;
import dev.septum.flows.store.StoredSession;
import dev.septum.flows.store.TagFilter;
import dev.septum.flows.tag.SessionTags;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The central session store on PostgreSQL: one row per session of each monitor node, in
 * {@code flow_sessions}, partitioned by day of the session's first-seen time (retention drops whole
 * partitions). flows-ingest applies session updates here with the Kafka offsets they came from, in
 * one transaction: {@code flow_ingest_offsets} holds each partition's next offset, so a consumer
 * killed at any point resumes exactly after the last committed update, and an update is summed into
 * its session once (a consumer that lost its partition to another cannot commit the same offsets:
 * the offset row is locked and compared first).
 */
public final class CentralStore implements SessionSource {
    static final int SCHEMA_VERSION = 1;
    private static final long DAY_MS = 86_400_000L;
    /** Serialises DDL of concurrent ingest consumers (CREATE ... IF NOT EXISTS races on the catalog). */
    private static final long DDL_LOCK = 0x5e97_0f10_75L;
    private static final String KEY = "first_ms, node, vrf, protocol, client_addr, client_port, server_addr, server_port";

    private final String url;
    private final Set<Long> partitionDays = new HashSet<>();

    /** @param url a {@code jdbc:postgresql:} URL */
    public CentralStore(String url) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--store " + redact(url) + " is not a PostgreSQL JDBC URL: use "
                    + "jdbc:postgresql://HOST:PORT/DATABASE?user=USER&password=PASSWORD");
        }
        this.url = url;
    }

    /** The URL without its query (user, password), for messages. */
    static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    public String describe() {
        return redact(url);
    }

    private Connection connect() throws SQLException {
        // the driver directly, not DriverManager, whose service lookup depends on the thread's class loader
        Properties p = new Properties();
        // a batch's rows go as multi-row INSERTs: safe because apply merges a batch's updates of one session
        // first (one statement may not touch a row twice), and several times faster than a row a statement
        p.setProperty("reWriteBatchedInserts", "true");
        return new org.postgresql.Driver().connect(url, p);
    }

    /** Creates the tables when absent; idempotent, safe for several consumers starting at once. */
    public void initialise() throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
                st.execute("CREATE TABLE IF NOT EXISTS flow_store_version (version INTEGER NOT NULL)");
                st.execute("""
                        CREATE TABLE IF NOT EXISTS flow_sessions (
                          node TEXT NOT NULL, vrf BIGINT NOT NULL, protocol INTEGER NOT NULL,
                          client_addr INET NOT NULL, client_port INTEGER NOT NULL,
                          server_addr INET NOT NULL, server_port INTEGER NOT NULL,
                          client_packets BIGINT NOT NULL, client_octets BIGINT NOT NULL, client_tcp_flags INTEGER NOT NULL,
                          server_packets BIGINT NOT NULL, server_octets BIGINT NOT NULL, server_tcp_flags INTEGER NOT NULL,
                          first_ms BIGINT NOT NULL, last_ms BIGINT NOT NULL, evidence TEXT NOT NULL, records BIGINT NOT NULL,
                          end_reason TEXT NOT NULL, updated_ms BIGINT NOT NULL,
                          client_groups TEXT[] NOT NULL, server_groups TEXT[] NOT NULL, services TEXT[] NOT NULL,
                          policy TEXT NOT NULL, rule TEXT NOT NULL, match_name TEXT NOT NULL, verdict TEXT NOT NULL,
                          policy_version TEXT NOT NULL,
                          PRIMARY KEY (%s)
                        ) PARTITION BY RANGE (first_ms)""".formatted(KEY));
                st.execute("CREATE INDEX IF NOT EXISTS flow_sessions_last ON flow_sessions (last_ms)");
                st.execute("""
                        CREATE TABLE IF NOT EXISTS flow_ingest_offsets (
                          topic TEXT NOT NULL, kafka_partition INTEGER NOT NULL, next_offset BIGINT NOT NULL,
                          PRIMARY KEY (topic, kafka_partition))""");
                try (ResultSet rs = st.executeQuery("SELECT max(version) FROM flow_store_version")) {
                    rs.next();
                    int found = rs.getInt(1);
                    if (rs.wasNull()) {
                        st.execute("INSERT INTO flow_store_version VALUES (" + SCHEMA_VERSION + ")");
                    } else if (found > SCHEMA_VERSION) {
                        throw new SQLException("the central store has schema version " + found + ", newer than this septum's "
                                + SCHEMA_VERSION + ": upgrade septum");
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The first and last offset of one Kafka partition's records in a batch. */
    public record OffsetRange(long first, long last) {
    }

    /** What one {@link #apply} did. */
    public sealed interface Applied {
        /** Committed: {@code sessions} rows inserted or summed into. */
        record Committed(int sessions) implements Applied {
        }

        /**
         * Nothing written: part of the batch was already committed (by this consumer before a restart
         * it has not seen, or by another that held the partition); seek to these offsets and read on.
         */
        record Behind(Map<Integer, Long> nextOffsets) implements Applied {
        }
    }

    /**
     * Sums a batch of updates (in offset order within each partition) into their sessions and moves
     * the topic's stored offsets past {@code range}, the offsets the batch was read from (messages
     * that were no update included), in one transaction.
     */
    public Applied apply(String topic, List<SessionUpdate> batch, Map<Integer, OffsetRange> range) throws SQLException {
        Map<String, SessionUpdate> merged = new LinkedHashMap<>();
        for (SessionUpdate u : batch) {
            merged.merge(u.key(), u, CentralStore::sum);
        }
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                Map<Integer, Long> behind = lockOffsets(c, topic, range);
                if (!behind.isEmpty()) {
                    c.rollback();
                    return new Applied.Behind(behind);
                }
                Set<Long> newDays = ensurePartitions(c, merged.values());
                upsert(c, merged.values());
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE flow_ingest_offsets SET next_offset = ? WHERE topic = ? AND kafka_partition = ?")) {
                    for (Map.Entry<Integer, OffsetRange> e : range.entrySet()) {
                        ps.setLong(1, e.getValue().last() + 1);
                        ps.setString(2, topic);
                        ps.setInt(3, e.getKey());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                partitionDays.addAll(newDays);
                return new Applied.Committed(merged.size());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Two updates of one session in one batch, as one: counters summed, the later one's end and tags. */
    private static SessionUpdate sum(SessionUpdate a, SessionUpdate b) {
        SessionRow x = a.row();
        SessionRow y = b.row();
        long cp = x.clientPackets() + y.clientPackets();
        long sp = x.serverPackets() + y.serverPackets();
        int cf = x.clientTcpFlags() | y.clientTcpFlags();
        int sf = x.serverTcpFlags() | y.serverTcpFlags();
        SessionRow r = new SessionRow(x.vrf(), x.protocol(), x.client(), x.server(), cp, x.clientOctets() + y.clientOctets(), cf,
                sp, x.serverOctets() + y.serverOctets(), sf, SessionState.of(x.protocol(), cp, cf, sp, sf), x.firstMillis(),
                Math.max(x.lastMillis(), y.lastMillis()), y.evidence(), x.records() + y.records(), y.reason());
        return new SessionUpdate(b.node(), r, b.tags(), b.exportedMs());
    }

    /**
     * Locks the batch's partitions' offset rows (creating those never seen) and answers the stored
     * next offsets of partitions where the batch starts before them: already applied.
     */
    private static Map<Integer, Long> lockOffsets(Connection c, String topic, Map<Integer, OffsetRange> range) throws SQLException {
        Map<Integer, Long> behind = new LinkedHashMap<>();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO flow_ingest_offsets VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
             PreparedStatement lock = c.prepareStatement(
                     "SELECT next_offset FROM flow_ingest_offsets WHERE topic = ? AND kafka_partition = ? FOR UPDATE")) {
            for (Map.Entry<Integer, OffsetRange> e : range.entrySet()) {
                insert.setString(1, topic);
                insert.setInt(2, e.getKey());
                insert.setLong(3, e.getValue().first());
                insert.executeUpdate();
                lock.setString(1, topic);
                lock.setInt(2, e.getKey());
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    long next = rs.getLong(1);
                    // a gap (next < first) is offsets Kafka never gave out; next > first means applied before
                    if (next > e.getValue().first()) {
                        behind.put(e.getKey(), next);
                    }
                }
            }
        }
        return behind;
    }

    /** The stored next offset of each of these partitions that has one. */
    public Map<Integer, Long> offsets(String topic, List<Integer> partitions) throws SQLException {
        Map<Integer, Long> out = new LinkedHashMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT kafka_partition, next_offset FROM flow_ingest_offsets WHERE topic = ? AND kafka_partition = ANY(?)")) {
            ps.setString(1, topic);
            ps.setArray(2, c.createArrayOf("integer", partitions.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Creates the day partitions these updates need and this store has not made or seen; answers those days. */
    private Set<Long> ensurePartitions(Connection c, Iterable<SessionUpdate> updates) throws SQLException {
        Set<Long> days = new HashSet<>();
        for (SessionUpdate u : updates) {
            long day = Math.floorDiv(u.row().firstMillis(), DAY_MS);
            if (!partitionDays.contains(day)) {
                days.add(day);
            }
        }
        if (days.isEmpty()) {
            return days;
        }
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
            for (long day : days) {
                // names from numbers only: nothing of a message reaches the DDL text
                st.execute("CREATE TABLE IF NOT EXISTS flow_sessions_" + (day < 0 ? "m" + -day : "d" + day)
                        + " PARTITION OF flow_sessions FOR VALUES FROM (" + day * DAY_MS + ") TO (" + (day + 1) * DAY_MS + ")");
            }
        }
        return days; // remembered once the transaction commits: a rolled-back one made none
    }

    private static void upsert(Connection c, Iterable<SessionUpdate> updates) throws SQLException {
        String sql = "INSERT INTO flow_sessions VALUES (?, ?, ?, ?::inet, ?, ?::inet, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (" + KEY + ") DO UPDATE SET"
                + " client_packets = flow_sessions.client_packets + EXCLUDED.client_packets,"
                + " client_octets = flow_sessions.client_octets + EXCLUDED.client_octets,"
                + " client_tcp_flags = flow_sessions.client_tcp_flags | EXCLUDED.client_tcp_flags,"
                + " server_packets = flow_sessions.server_packets + EXCLUDED.server_packets,"
                + " server_octets = flow_sessions.server_octets + EXCLUDED.server_octets,"
                + " server_tcp_flags = flow_sessions.server_tcp_flags | EXCLUDED.server_tcp_flags,"
                + " last_ms = greatest(flow_sessions.last_ms, EXCLUDED.last_ms), evidence = EXCLUDED.evidence,"
                + " records = flow_sessions.records + EXCLUDED.records, end_reason = EXCLUDED.end_reason,"
                + " updated_ms = EXCLUDED.updated_ms, client_groups = EXCLUDED.client_groups,"
                + " server_groups = EXCLUDED.server_groups, services = EXCLUDED.services, policy = EXCLUDED.policy,"
                + " rule = EXCLUDED.rule, match_name = EXCLUDED.match_name, verdict = EXCLUDED.verdict,"
                + " policy_version = EXCLUDED.policy_version";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (SessionUpdate u : updates) {
                SessionRow r = u.row();
                SessionTags t = u.tags();
                int i = 1;
                ps.setString(i++, u.node());
                ps.setLong(i++, Integer.toUnsignedLong(r.vrf()));
                ps.setInt(i++, r.protocol());
                ps.setString(i++, r.clientAddr().toString());
                ps.setInt(i++, r.client().port());
                ps.setString(i++, r.serverAddr().toString());
                ps.setInt(i++, r.server().port());
                ps.setLong(i++, r.clientPackets());
                ps.setLong(i++, r.clientOctets());
                ps.setInt(i++, r.clientTcpFlags());
                ps.setLong(i++, r.serverPackets());
                ps.setLong(i++, r.serverOctets());
                ps.setInt(i++, r.serverTcpFlags());
                ps.setLong(i++, r.firstMillis());
                ps.setLong(i++, r.lastMillis());
                ps.setString(i++, r.evidence().name().toLowerCase(Locale.ROOT));
                ps.setLong(i++, r.records());
                ps.setString(i++, r.reason().name().toLowerCase(Locale.ROOT));
                ps.setLong(i++, u.exportedMs());
                ps.setArray(i++, c.createArrayOf("text", t.clientGroups().toArray()));
                ps.setArray(i++, c.createArrayOf("text", t.serverGroups().toArray()));
                ps.setArray(i++, c.createArrayOf("text", t.services().toArray()));
                ps.setString(i++, t.policy());
                ps.setString(i++, t.rule());
                ps.setString(i++, t.match());
                ps.setString(i++, t.verdict());
                ps.setString(i, t.policyVersion());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Drops the day partitions wholly older than {@code cutoffMs}; answers how many. */
    public int dropPartitionsBefore(long cutoffMs) throws SQLException {
        long lastDay = Math.floorDiv(cutoffMs, DAY_MS); // partitions of days before this one end at or before the cutoff's day
        List<String> old = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT child.relname FROM pg_inherits JOIN pg_class child ON child.oid = inhrelid"
                    + " JOIN pg_class parent ON parent.oid = inhparent WHERE parent.relname = 'flow_sessions'"
                    + " AND parent.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())")) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    Optional<Long> day = day(name);
                    if (day.isPresent() && day.get() < lastDay) {
                        old.add(name);
                    }
                }
            }
            for (String name : old) {
                st.execute("DROP TABLE IF EXISTS " + name);
                partitionDays.remove(day(name).orElseThrow());
            }
        }
        return old.size();
    }

    private static Optional<Long> day(String partition) {
        if (!partition.matches("flow_sessions_[dm]\\d+")) {
            return Optional.empty();
        }
        long n = Long.parseLong(partition.substring("flow_sessions_".length() + 1));
        return Optional.of(partition.charAt("flow_sessions_".length()) == 'm' ? -n : n);
    }

    @Override
    public List<StoredSession> queryTagged(SessionQuery q) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        q.vrf().ifPresent(v -> { where.append(" AND vrf = ?"); args.add(Integer.toUnsignedLong(v)); });
        q.protocol().ifPresent(v -> { where.append(" AND protocol = ?"); args.add(v); });
        q.address().ifPresent(v -> {
            where.append(" AND (client_addr = ?::inet OR server_addr = ?::inet)");
            args.add(v);
            args.add(v);
        });
        q.serverPort().ifPresent(v -> { where.append(" AND server_port = ?"); args.add(v); });
        q.sinceMs().ifPresent(v -> { where.append(" AND last_ms >= ?"); args.add(v); });
        q.untilMs().ifPresent(v -> { where.append(" AND first_ms <= ?"); args.add(v); });
        TagFilter t = q.tags();
        t.group().ifPresent(v -> { where.append(" AND (? = ANY(client_groups) OR ? = ANY(server_groups))"); args.add(v); args.add(v); });
        t.rule().ifPresent(v -> { where.append(" AND (rule = ? OR match_name = ?)"); args.add(v); args.add(v); });
        t.service().ifPresent(v -> { where.append(" AND ? = ANY(services)"); args.add(v); });
        t.policyVersion().ifPresent(v -> { where.append(" AND policy_version = ?"); args.add(v); });
        String sql = "SELECT vrf, protocol, host(client_addr), client_port, host(server_addr), server_port, client_packets,"
                + " client_octets, client_tcp_flags, server_packets, server_octets, server_tcp_flags, first_ms, last_ms, evidence,"
                + " records, end_reason, client_groups, server_groups, services, policy, rule, match_name, verdict, policy_version"
                + " FROM flow_sessions" + where
                + " ORDER BY last_ms DESC, server_addr, server_port, client_addr, client_port, node LIMIT " + q.limit();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<StoredSession> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredSession(row(rs), new SessionTags(names(rs.getArray(18)), names(rs.getArray(19)),
                            names(rs.getArray(20)), rs.getString(21), rs.getString(22), rs.getString(23), rs.getString(24),
                            rs.getString(25))));
                }
            }
            return out;
        }
    }

    private static List<String> names(Array a) throws SQLException {
        return Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
    }

    private static SessionRow row(ResultSet rs) throws SQLException {
        int protocol = rs.getInt(2);
        long cp = rs.getLong(7);
        int cf = rs.getInt(9);
        long sp = rs.getLong(10);
        int sf = rs.getInt(12);
        return new SessionRow((int) rs.getLong(1), protocol,
                new Endpoint(IpAddr.parse(rs.getString(3)), rs.getInt(4)), new Endpoint(IpAddr.parse(rs.getString(5)), rs.getInt(6)),
                cp, rs.getLong(8), cf, sp, rs.getLong(11), sf, SessionState.of(protocol, cp, cf, sp, sf), rs.getLong(13),
                rs.getLong(14), DirectionEvidence.valueOf(rs.getString(15).toUpperCase(Locale.ROOT)), rs.getLong(16),
                EndReason.valueOf(rs.getString(17).toUpperCase(Locale.ROOT)));
    }
}
