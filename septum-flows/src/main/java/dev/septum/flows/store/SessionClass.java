package dev.septum.flows.store;

import dev.septum.flows.session.SessionRow;

/**
 * Stored sessions a reader cannot tell apart, as one row ({@link FlowStore#queryClasses}): {@code row}
 * stands for all {@code sessions} of them, with their first and last seen and summed counters.
 */
public record SessionClass(SessionRow row, long sessions) {
    public SessionClass {
        if (sessions < 1) {
            throw new IllegalArgumentException("a session class holds at least one session, not " + sessions);
        }
    }
}
