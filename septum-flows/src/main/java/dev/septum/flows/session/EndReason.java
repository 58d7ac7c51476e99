package dev.septum.flows.session;

/** Why a session row was written; numbers are IPFIX flowEndReason (IE 136). */
public enum EndReason {
    /** Still live: a snapshot of the table, not an export. */
    LIVE(0),
    IDLE_TIMEOUT(1),
    ACTIVE_TIMEOUT(2),
    END_OF_FLOW(3),
    FORCED_END(4),
    LACK_OF_RESOURCES(5),
    /**
     * Live when the collector stopped without shutting down (a crash, kill -9): ended by the next
     * start with the totals of its last flush. A forced end to IPFIX.
     */
    RESTART(4);

    private final int ipfixCode;

    EndReason(int ipfixCode) {
        this.ipfixCode = ipfixCode;
    }

    public int ipfixCode() {
        return ipfixCode;
    }
}
