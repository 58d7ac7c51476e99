package dev.septum.flows.session;

/**
 * As the ZTX session table shows it: both directions seen, only one, or a TCP handshake that both
 * sides took part in but that never completed. A refused session is a failed attempt, not a
 * conversation: the Policy Builder reports it and never allows it.
 */
public enum SessionState {
    COMPLETE, HALF_OPEN, REFUSED;

    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;
    private static final int TCP = 6;

    public String label() {
        return switch (this) {
            case COMPLETE -> "complete";
            case HALF_OPEN -> "half-open";
            case REFUSED -> "refused";
        };
    }

    /**
     * The state of a session from its packets and TCP flags each way (ORed over the session, so
     * either side may be the client). Refused: some side opened with SYN, a side reset, and the
     * handshake never completed: the answer was a reset and never a SYN ({@code connection refused}),
     * or the opener reset the answer's SYN without ever acknowledging it (a SYN scan). A session
     * whose opening was never seen (no SYN on either side, e.g. collected mid-stream) or whose
     * exporter sends no flags is judged by its packets alone.
     */
    public static SessionState of(int protocol, long packetsA, int flagsA, long packetsB, int flagsB) {
        if (packetsA == 0 || packetsB == 0) {
            return HALF_OPEN;
        }
        if (protocol == TCP && ((flagsA | flagsB) & SYN) != 0 && ((flagsA | flagsB) & RST) != 0
                && !(handshook(flagsA) && handshook(flagsB))) {
            return REFUSED;
        }
        return COMPLETE;
    }

    /** Sent its SYN and acknowledged the other side's: one half of a completed handshake. */
    private static boolean handshook(int flags) {
        return (flags & SYN) != 0 && (flags & ACK) != 0;
    }

    /** Flags as text, e.g. {@code SYN ACK FIN}; empty when none were exported. */
    public static String flagNames(int flags) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                sb.append(sb.isEmpty() ? "" : " ").append(names[bit]);
            }
        }
        return sb.toString();
    }
}
