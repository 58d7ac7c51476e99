package dev.septum.server.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps are ISO-8601 UTC text: portable across SQLite and PostgreSQL, and sortable. */
public final class Clock {
    private Clock() {
    }

    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
