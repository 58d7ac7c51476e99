package dev.septum.flows.store;

import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.SessionColumns;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.tag.SessionTags;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A flush's change to {@code live_sessions} when only some sessions changed: the changed sessions'
 * rows replace their previous ones, and sessions that ended lose theirs (their final rows are in
 * {@code sessions} from the same transaction). Rewriting every live row instead cost the collector
 * 100,000 rows every 2 s at 100,000 live sessions.
 *
 * <p>Both go through one temporary table of {@link LiveRows}'s columns and whether the row is live,
 * loaded with the Appender: one join deletes the live rows of its sessions, then its live rows are
 * inserted. A session is matched by its key in either orientation, because its client and server
 * may have been decided the other way round when its row was written (fan-in evidence moves as other
 * sessions come and go). One live session per key at a time, so the key alone names the row.
 */
final class LiveDelta {
    private LiveDelta() {
    }

    static void apply(Connection c, LiveRows liveRows, List<SessionRow> exported, List<SessionTags> exportedTags,
                      SessionColumns changed, List<SessionTags> changedTags, long nowMs) throws SQLException {
        List<SessionRow> ended = new ArrayList<>();
        List<SessionTags> endedTags = new ArrayList<>();
        for (int i = 0; i < exported.size(); i++) {
            // an interim row leaves the session live: the snapshot's row for it (if it changed) is its new live part
            if (exported.get(i).reason() != EndReason.ACTIVE_TIMEOUT) {
                ended.add(exported.get(i));
                endedTags.add(exportedTags.get(i));
            }
        }
        if (changed.size() == 0 && ended.isEmpty()) {
            return;
        }
        // the key's columns are named k0, k1, ... in the derived table, so the live table's own names stay unambiguous
        String match = IntStream.range(0, LiveRows.KEY.size()).mapToObj(i -> LiveRows.KEY.get(i) + " IS NOT DISTINCT FROM k.k" + i)
                .collect(Collectors.joining(" AND "));
        try (Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE flush_delta AS SELECT *, true AS live FROM " + LiveRows.TABLE + " LIMIT 0");
            liveRows.append(c, "flush_delta", List.of(new LiveRows.Part(changed, changedTags),
                    new LiveRows.Part(SessionColumns.of(ended), endedTags)), nowMs);
            st.execute("DELETE FROM " + LiveRows.TABLE + " l USING (SELECT DISTINCT * FROM ("
                    + "SELECT " + named(LiveRows.KEY) + " FROM flush_delta UNION ALL "
                    + "SELECT " + named(LiveRows.REVERSED_KEY) + " FROM flush_delta)) k WHERE " + match);
            st.execute("INSERT INTO " + LiveRows.TABLE + " SELECT * EXCLUDE (live) FROM flush_delta WHERE live");
            st.execute("DROP TABLE flush_delta");
        }
    }

    /** The key's expressions as k0, k1, ... */
    private static String named(List<String> key) {
        return IntStream.range(0, key.size()).mapToObj(i -> "(" + key.get(i) + ") AS k" + i).collect(Collectors.joining(", "));
    }
}
