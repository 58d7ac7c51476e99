package dev.septum.flows.store;

import dev.septum.flows.session.SessionRow;
import java.util.List;

/**
 * The live part of a session table as a {@link StoreWriter} reads it every flush: the collector's
 * {@code storeSnapshot}, taken in steps under its lock.
 */
@FunctionalInterface
public interface LiveSessions {
    /** No table (yet): nothing live; the cut still runs, so exported rows are still drained. */
    LiveSessions NONE = (changedOnly, atCut) -> {
        atCut.run();
        return List.of();
    };

    /**
     * @param changedOnly only the sessions changed since the previous read (else all, and the next
     *                    read counts changes from this one)
     * @param atCut       run once under the table's lock, at the instant that fixes which sessions
     *                    this read covers; the writer drains its queue of exported rows there
     * @return live rows with the counters not yet exported
     */
    List<SessionRow> read(boolean changedOnly, Runnable atCut);
}
