package dev.septum.flows.session;

/**
 * When sessions leave the table. Defaults follow the EOS flow tracker a ZTX monitor node runs:
 * inactive timeout 15000 ms, record export on interval (active timeout) 1800000 ms. EOS documents no
 * separate half-open timeout; half-open sessions default to the inactive timeout. Closed TCP sessions
 * (FIN both ways, or RST) linger briefly so late ACKs do not open a new half-open entry.
 */
public record SessionTimeouts(long idleMs, long halfOpenMs, long activeMs, long closedLingerMs) {
    public static final SessionTimeouts EOS_DEFAULTS = new SessionTimeouts(15_000, 15_000, 1_800_000, 5_000);

    public SessionTimeouts {
        if (idleMs <= 0 || halfOpenMs <= 0 || activeMs <= 0 || closedLingerMs < 0) {
            throw new IllegalArgumentException("session timeouts must be positive (got idle " + idleMs
                    + " ms, half-open " + halfOpenMs + " ms, active " + activeMs + " ms)");
        }
    }
}
