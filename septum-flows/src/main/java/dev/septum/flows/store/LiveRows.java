package dev.septum.flows.store;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.SessionColumns;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.tag.SessionTags;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * How the live part is kept on disk: table {@code live_rows}, read through view {@code live_sessions},
 * which shows exactly the columns and values of {@code sessions} (so every query unions the two as
 * before). A flush rewrites every changed live session, under a steady load all of them every flush,
 * and DuckDB's cost per row grows with its values (appending, statistics, compressing at the commit's
 * checkpoint), text most, so a live row holds few numbers where the view makes the columns: the VRF
 * and both ports in one, both IPv4 addresses in one (an IPv6 pair, or a pair of mixed families, as
 * one text instead), the protocol, both TCP flags, state and direction evidence in one, no end reason
 * (always {@code live}), and its tags as the id of a row of {@code live_tags} (none when untagged): a
 * flush writes each distinct set of tags once, not eight text columns per session. 13 values a row
 * instead of the 21 of one number per column cost a 100,000-row flush a fifth to a third less CPU
 * (bench/RESULTS.md, "Live rows packed").
 *
 * <p>The view, not Java, unpacks: a store is opened by {@link FlowStore#initialise}, which ends the
 * live sessions a previous run left through that run's view and then makes the tables anew, so a new
 * version of this mapping never reads rows an older one wrote.
 */
final class LiveRows {
    static final String TABLE = "live_rows";
    static final String TAGS = "live_tags";
    static final String VIEW = "live_sessions";
    /**
     * One live session. {@code flow}: VRF << 32 | client port << 16 | server port. {@code addrs}: client
     * IPv4 << 32 | server IPv4, null unless both are IPv4; {@code addrs6}: otherwise "client server" as
     * text. {@code bits}: protocol << 48 | client TCP flags << 32 | server TCP flags << 16 | state << 8 |
     * evidence (ordinals). Ports and TCP flags are 16 bits (IPFIX tcpControlBits is unsigned16), the protocol 8.
     * Unsigned, so the view and the delta can shift the VRF's and the client address's top bit.
     */
    static final String COLUMNS = """
            flow UBIGINT, addrs UBIGINT, addrs6 VARCHAR, bits UBIGINT,
            client_packets BIGINT, client_octets BIGINT, server_packets BIGINT, server_octets BIGINT,
            first_ms BIGINT, last_ms BIGINT, records BIGINT, written_ms BIGINT, tag_set INTEGER""";
    /**
     * What makes a live row one session, as expressions over {@code live_rows}' columns (compared with IS
     * NOT DISTINCT FROM: one of {@code addrs} and {@code addrs6} is null), and the same key with client
     * and server swapped.
     */
    static final List<String> KEY = List.of("flow", "addrs", "addrs6", "bits >> 48");
    static final List<String> REVERSED_KEY = List.of("(flow >> 32 << 32) | ((flow & 65535) << 16) | (flow >> 16 & 65535)",
            "((addrs & 4294967295) << 32) | (addrs >> 32)", "split_part(addrs6, ' ', 2) || ' ' || split_part(addrs6, ' ', 1)",
            "bits >> 48");

    /** Ids of the sets of tags written since the last whole flush; kept so a delta flush writes only new sets. */
    private final Map<SessionTags, Integer> tagSets = new HashMap<>();
    private final List<SessionTags> unwritten = new ArrayList<>();

    /** The tables and the view, in a file with none of them. */
    static void create(Statement st) throws SQLException {
        st.execute("CREATE TABLE " + TABLE + " (" + COLUMNS + ")");
        st.execute("CREATE TABLE " + TAGS + " (tag_set INTEGER, "
                + FlowStore.TAG_COLUMNS.stream().map(c -> c + " VARCHAR").collect(Collectors.joining(", ")) + ")");
        st.execute("CREATE VIEW " + VIEW + " AS SELECT (r.flow >> 32)::BIGINT AS vrf, (r.bits >> 48)::INTEGER AS protocol,"
                + " coalesce(split_part(r.addrs6, ' ', 1), " + dotted("r.addrs >> 32") + ") AS client_addr,"
                + " (r.flow >> 16 & 65535)::INTEGER AS client_port,"
                + " coalesce(split_part(r.addrs6, ' ', 2), " + dotted("r.addrs & 4294967295") + ") AS server_addr,"
                + " (r.flow & 65535)::INTEGER AS server_port, r.client_packets, r.client_octets,"
                + " (r.bits >> 32 & 65535)::INTEGER AS client_tcp_flags, r.server_packets, r.server_octets,"
                + " (r.bits >> 16 & 65535)::INTEGER AS server_tcp_flags,"
                + " " + labels(Arrays.stream(SessionState.values()).map(SessionState::label).toList()) + "[(r.bits >> 8 & 255)::INTEGER + 1] AS state,"
                + " r.first_ms, r.last_ms,"
                + " " + labels(Arrays.stream(DirectionEvidence.values()).map(Enum::name).toList()) + "[(r.bits & 255)::INTEGER + 1] AS evidence,"
                + " r.records, '" + reason(EndReason.LIVE) + "' AS end_reason, r.written_ms, "
                + FlowStore.TAG_COLUMNS.stream().map(c -> "coalesce(t." + c + ", '') AS " + c).collect(Collectors.joining(", "))
                + " FROM " + TABLE + " r LEFT JOIN " + TAGS + " t ON t.tag_set = r.tag_set");
    }

    /**
     * As {@link IpAddr#toString}: the IPv4 dotted quad of {@code bits}. Casts and {@code ||}, not
     * {@code concat}: a read of 100,000 live rows made the text 3.5x faster so.
     */
    private static String dotted(String bits) {
        String b = "(" + bits + ")";
        return "(" + b + " >> 24 & 255)::VARCHAR || '.' || (" + b + " >> 16 & 255)::VARCHAR || '.' || (" + b + " >> 8 & 255)::VARCHAR"
                + " || '.' || (" + b + " & 255)::VARCHAR";
    }

    private static String labels(List<String> names) {
        return names.stream().map(n -> "'" + n.toLowerCase(Locale.ROOT) + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    static String reason(EndReason r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    /** Before a whole rewrite: every set of tags gets a new id. */
    void forgetTagSets(Statement st) throws SQLException {
        st.execute("DELETE FROM " + TAGS);
        tagSets.clear();
        unwritten.clear();
    }

    /**
     * Appends rows to {@code live_rows}, or to a temporary table of its columns and then a boolean:
     * whether the row is live (the delta's final rows are not); then the sets of tags first seen here.
     */
    void append(Connection c, String temporaryTable, List<Part> parts, long nowMs) throws SQLException {
        if (parts.stream().allMatch(p -> p.rows().size() == 0)) {
            return;
        }
        DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
        boolean temporary = temporaryTable != null;
        try (DuckDBAppender a = temporary ? duck.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, temporaryTable)
                : duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, TABLE)) {
            for (Part p : parts) {
                append(a, p.rows(), p.tags(), temporary, nowMs);
            }
        }
        writeNewTagSets(c);
    }

    /** Rows and each row's tags. */
    record Part(SessionColumns rows, List<SessionTags> tags) {
    }

    private void append(DuckDBAppender a, SessionColumns r, List<SessionTags> tags, boolean temporary, long nowMs)
            throws SQLException {
        for (int i = 0; i < r.size(); i++) {
            a.beginRow().append(Integer.toUnsignedLong(r.vrf(i)) << 32 | (long) (r.clientPort(i) & 0xFFFF) << 16 | r.serverPort(i) & 0xFFFF);
            if (r.clientV6(i) || r.serverV6(i)) {
                a.appendNull().append(r.clientAddr(i) + " " + r.serverAddr(i));
            } else {
                a.append(r.clientLo(i) << 32 | r.serverLo(i)).appendNull();
            }
            a.append((long) (r.protocol(i) & 0xFF) << 48 | (long) (r.clientTcpFlags(i) & 0xFFFF) << 32
                            | (long) (r.serverTcpFlags(i) & 0xFFFF) << 16 | r.state(i).ordinal() << 8 | r.evidence(i).ordinal())
                    .append(r.clientPackets(i)).append(r.clientOctets(i)).append(r.serverPackets(i)).append(r.serverOctets(i))
                    .append(r.firstMillis(i)).append(r.lastMillis(i)).append(r.records(i)).append(nowMs);
            Integer set = tagSet(tags.get(i));
            if (set == null) {
                a.appendNull();
            } else {
                a.append(set.intValue());
            }
            if (temporary) {
                a.append(r.live(i));
            }
            a.endRow();
        }
    }

    /** The id of a set of tags, null for none. */
    private Integer tagSet(SessionTags t) {
        if (t.equals(SessionTags.NONE)) {
            return null;
        }
        return tagSets.computeIfAbsent(t, k -> {
            unwritten.add(k);
            return tagSets.size();
        });
    }

    private void writeNewTagSets(Connection c) throws SQLException {
        if (unwritten.isEmpty()) {
            return;
        }
        DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
        try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, TAGS)) {
            for (SessionTags t : unwritten) {
                FlowStore.appendTags(a.beginRow().append(tagSets.get(t).intValue()), t).endRow();
            }
        }
        unwritten.clear();
    }
}
