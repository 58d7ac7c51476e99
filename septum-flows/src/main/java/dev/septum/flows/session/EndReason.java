package dev.septum.flows.session;

/** Why a session row was written; numbers are IPFIX flowEndReason (IE 136). */
public enum EndReason {
    /** Still live: a snapshot of the table, not an export. */
    LIVE(0),
    IDLE_TIMEOUT(1),
    ACTIVE_TIMEOUT(2),
    END_OF_FLOW(3),
    FORCED_END(4),
    LACK_OF_RESOURCES(5);

    private final int ipfixCode;

    EndReason(int ipfixCode) {
        this.ipfixCode = ipfixCode;
    }

    public int ipfixCode() {
        return ipfixCode;
    }
}
