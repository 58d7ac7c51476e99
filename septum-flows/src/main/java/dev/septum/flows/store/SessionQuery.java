package dev.septum.flows.store;

import java.util.Optional;

/**
 * Which stored sessions to read. Empty fields match everything; {@code address} matches either side.
 * Times are epoch ms: {@code sinceMs} against the session's last-seen time, {@code untilMs} against
 * its first-seen time. {@code tags} filters on what the session was tagged with when stored.
 */
public record SessionQuery(Optional<Integer> vrf, Optional<Integer> protocol, Optional<String> address,
                           Optional<Integer> serverPort, Optional<Long> sinceMs, Optional<Long> untilMs,
                           int limit, TagFilter tags) {
    public static final SessionQuery ALL = new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), 100_000);

    /** A query on the session fields only. */
    public SessionQuery(Optional<Integer> vrf, Optional<Integer> protocol, Optional<String> address,
                        Optional<Integer> serverPort, Optional<Long> sinceMs, Optional<Long> untilMs, int limit) {
        this(vrf, protocol, address, serverPort, sinceMs, untilMs, limit, TagFilter.NONE);
    }

    public SessionQuery withTags(TagFilter filter) {
        return new SessionQuery(vrf, protocol, address, serverPort, sinceMs, untilMs, limit, filter);
    }
}
