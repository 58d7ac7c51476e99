package dev.septum.flows.store;

import java.sql.SQLException;
import java.util.List;

/**
 * Where {@code septum sessions} reads stored sessions from: one monitor node's {@link FlowStore}
 * (DuckDB, the default) or the central store that flows-ingest fills from Kafka.
 */
public interface SessionSource {
    /** Sessions matching the query with their stored tags, most recent first, at most {@code q.limit()}. */
    List<StoredSession> queryTagged(SessionQuery q) throws SQLException;

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
            public String describe() {
                return store.file().toString();
            }
        };
    }
}
