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
 * and DuckDB's cost per row is its text columns (appending, statistics, compressing at the commit's
 * checkpoint), so a live row holds numbers where the view can make the text: an IPv4 address as its
 * 32 bits (an IPv6 one stays text), state and direction evidence as their ordinals, no end reason
 * (always {@code live}), and its tags as the id of a row of {@code live_tags} (none when untagged):
 * a flush writes each distinct set of tags once, not eight text columns per session.
 *
 * <p>The view, not Java, names the ordinals: a store is opened by {@link FlowStore#initialise}, which
 * ends the live sessions a previous run left through that run's view and then makes the tables anew,
 * so a new version of this mapping never reads rows an older one wrote.
 */
final class LiveRows {
    static final String TABLE = "live_rows";
    static final String TAGS = "live_tags";
    static final String VIEW = "live_sessions";
    /** One live session; {@code *_v4} is null for an IPv6 address, {@code *_v6} (its text) for an IPv4 one. */
    static final String COLUMNS = """
            vrf BIGINT, protocol INTEGER, client_v4 BIGINT, client_v6 VARCHAR, client_port INTEGER,
            server_v4 BIGINT, server_v6 VARCHAR, server_port INTEGER,
            client_packets BIGINT, client_octets BIGINT, client_tcp_flags INTEGER,
            server_packets BIGINT, server_octets BIGINT, server_tcp_flags INTEGER,
            state UTINYINT, first_ms BIGINT, last_ms BIGINT, evidence UTINYINT, records BIGINT, written_ms BIGINT,
            tag_set INTEGER""";
    /** What makes a live row one session, as {@code live_rows} holds it (addresses nullable, compared with IS NOT DISTINCT FROM). */
    static final List<String> KEY = List.of("vrf", "protocol", "client_v4", "client_v6", "client_port", "server_v4", "server_v6", "server_port");

    /** Ids of the sets of tags written since the last whole flush; kept so a delta flush writes only new sets. */
    private final Map<SessionTags, Integer> tagSets = new HashMap<>();
    private final List<SessionTags> unwritten = new ArrayList<>();

    /** The tables and the view, in a file with none of them. */
    static void create(Statement st) throws SQLException {
        st.execute("CREATE TABLE " + TABLE + " (" + COLUMNS + ")");
        st.execute("CREATE TABLE " + TAGS + " (tag_set INTEGER, "
                + FlowStore.TAG_COLUMNS.stream().map(c -> c + " VARCHAR").collect(Collectors.joining(", ")) + ")");
        st.execute("CREATE VIEW " + VIEW + " AS SELECT r.vrf, r.protocol, " + address("client") + " AS client_addr, r.client_port, "
                + address("server") + " AS server_addr, r.server_port, r.client_packets, r.client_octets, r.client_tcp_flags,"
                + " r.server_packets, r.server_octets, r.server_tcp_flags,"
                + " " + labels(Arrays.stream(SessionState.values()).map(SessionState::label).toList()) + "[r.state + 1] AS state,"
                + " r.first_ms, r.last_ms,"
                + " " + labels(Arrays.stream(DirectionEvidence.values()).map(Enum::name).toList()) + "[r.evidence + 1] AS evidence,"
                + " r.records, '" + reason(EndReason.LIVE) + "' AS end_reason, r.written_ms, "
                + FlowStore.TAG_COLUMNS.stream().map(c -> "coalesce(t." + c + ", '') AS " + c).collect(Collectors.joining(", "))
                + " FROM " + TABLE + " r LEFT JOIN " + TAGS + " t ON t.tag_set = r.tag_set");
    }

    /**
     * As {@link IpAddr#toString}: the IPv4 dotted quad from its bits, else the stored IPv6 text. Casts
     * and {@code ||}, not {@code concat}: a read of 100,000 live rows made the text 3.5x faster so.
     */
    private static String address(String side) {
        String bits = "r." + side + "_v4";
        return "coalesce(r." + side + "_v6, ((" + bits + " >> 24) & 255)::VARCHAR || '.' || ((" + bits + " >> 16) & 255)::VARCHAR"
                + " || '.' || ((" + bits + " >> 8) & 255)::VARCHAR || '.' || (" + bits + " & 255)::VARCHAR)";
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
            a.beginRow().append(Integer.toUnsignedLong(r.vrf(i))).append(r.protocol(i));
            // an IPv4 address as its bits, an IPv6 one as its text (the view makes the IPv4 text)
            if (r.clientV6(i)) {
                a.appendNull().append(r.clientAddr(i).toString());
            } else {
                a.append(r.clientLo(i)).appendNull();
            }
            a.append(r.clientPort(i));
            if (r.serverV6(i)) {
                a.appendNull().append(r.serverAddr(i).toString());
            } else {
                a.append(r.serverLo(i)).appendNull();
            }
            a.append(r.serverPort(i))
                    .append(r.clientPackets(i)).append(r.clientOctets(i)).append(r.clientTcpFlags(i))
                    .append(r.serverPackets(i)).append(r.serverOctets(i)).append(r.serverTcpFlags(i))
                    .append((byte) r.state(i).ordinal()).append(r.firstMillis(i)).append(r.lastMillis(i))
                    .append((byte) r.evidence(i).ordinal()).append(r.records(i)).append(nowMs);
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
