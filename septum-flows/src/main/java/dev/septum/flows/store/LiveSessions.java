package dev.septum.flows.store;

import dev.septum.flows.session.SessionColumns;

/**
 * The live part of a session table as a {@link StoreWriter} reads it every flush: the collector's
 * {@code storeSnapshot}, taken in steps under its lock.
 */
@FunctionalInterface
public interface LiveSessions {
    /** No table (yet): nothing live; the cut still runs, so exported rows are still drained. */
    LiveSessions NONE = (changedOnly, atCut) -> {
        atCut.run();
        return new Read(new SessionColumns(), 0, 0);
    };

    /**
     * @param rows     live rows with the counters not yet exported: all, or the changed ones; the
     *                 reader may reuse them for its next read, so a flush writes them before asking again
     * @param sessions sessions live when the read started
     * @param changed  of those, how many changed since the previous read
     */
    record Read(SessionColumns rows, int sessions, int changed) {
    }

    /**
     * @param changedOnly only the sessions changed since the previous read (else all, and the next
     *                    read counts changes from this one)
     * @param atCut       run once under the table's lock, at the instant that fixes which sessions
     *                    this read covers; the writer drains its queue of exported rows there
     */
    Read read(boolean changedOnly, Runnable atCut);
}
