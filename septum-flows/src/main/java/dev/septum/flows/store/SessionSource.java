package dev.septum.flows.store;

import dev.septum.flows.session.SessionRow;
import java.sql.SQLException;
import java.util.List;

/**
 * Where {@code septum sessions}, {@code septum recommend} and the lifecycle commands' {@code --sessions}
 * read stored sessions from: one monitor
 * node's {@link FlowStore} (DuckDB, the default) or the central store that flows-ingest fills from Kafka.
 */
public interface SessionSource {
    /** Sessions matching the query with their stored tags, most recent first, at most {@code q.limit()}. */
    List<StoredSession> queryTagged(SessionQuery q) throws SQLException;

    /** As {@link #queryTagged}, without the tags (a store may read them faster so). */
    default List<SessionRow> query(SessionQuery q) throws SQLException {
        return queryTagged(q).stream().map(StoredSession::row).toList();
    }

    /**
     * The sessions {@code q} reads as classes the policy cannot tell apart (see
     * {@link FlowStore#queryClasses}); a store that cannot fold them itself gives each session as a
     * class of one, which the Policy Builder reads to the same proposal.
     */
    default List<SessionClass> queryClasses(SessionQuery q, int[] clientPortClassStarts) throws SQLException {
        return queryTagged(q).stream().map(s -> new SessionClass(s.row(), 1)).toList();
    }

    /** The store in words for messages, without credentials. */
    String describe();

    /** A node's DuckDB store as a source. */
    static SessionSource of(FlowStore store) {
        return new SessionSource() {
            @Override
            public List<StoredSession> queryTagged(SessionQuery q) throws SQLException {
                return store.queryTagged(q);
            }

            @Override
            public List<SessionRow> query(SessionQuery q) throws SQLException {
                return store.query(q);
            }

            @Override
            public List<SessionClass> queryClasses(SessionQuery q, int[] clientPortClassStarts) throws SQLException {
                return store.queryClasses(q, clientPortClassStarts);
            }

            @Override
            public String describe() {
                return store.file().toString();
            }
        };
    }
}
