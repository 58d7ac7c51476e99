package dev.septum.flows.store;

import java.util.Optional;

/**
 * Which stored sessions to read. Empty fields match everything; {@code address} matches either side.
 * Times are epoch ms against the session's last-seen time.
 */
public record SessionQuery(Optional<Integer> vrf, Optional<Integer> protocol, Optional<String> address,
                           Optional<Integer> serverPort, Optional<Long> sinceMs, Optional<Long> untilMs,
                           int limit) {
    public static final SessionQuery ALL = new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), 100_000);
}
