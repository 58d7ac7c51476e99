package dev.septum.flows.session;

/**
 * Live state of one session, keyed canonically (A = lower endpoint). Counters are kept per sending
 * side; the client/server orientation is decided when the session is read, from all evidence so far.
 */
final class Session {
    static final int SYN = 0x02;
    static final int ACK = 0x10;
    static final int FIN = 0x01;
    static final int RST = 0x04;

    final SessionKey key;
    long packetsA;
    long octetsA;
    int flagsA;
    long packetsB;
    long octetsB;
    int flagsB;
    /** Earliest start of traffic sent by each side, Long.MAX_VALUE until seen. */
    long startA = Long.MAX_VALUE;
    long startB = Long.MAX_VALUE;
    long firstMs = Long.MAX_VALUE;
    long lastMs;
    long records;
    /** From the exporter: 1 = A initiated, 2 = B initiated, 0 = unknown. */
    int initiatorHint;
    /** ICMP echo request seen from: 1 = A, 2 = B. */
    int echoRequestFrom;
    /** Collector clock: last update, creation, last interim export. */
    long updatedAt;
    long createdAt;
    long exportedAt;
    /** Counters already exported in interim rows, subtracted from the next export. */
    long exportedPacketsA;
    long exportedOctetsA;
    long exportedPacketsB;
    long exportedOctetsB;

    Session(SessionKey key, long now) {
        this.key = key;
        this.createdAt = now;
        this.exportedAt = now;
        this.updatedAt = now;
    }

    boolean complete() {
        return packetsA > 0 && packetsB > 0;
    }

    boolean closed() {
        return ((flagsA | flagsB) & RST) != 0 || ((flagsA & FIN) != 0 && (flagsB & FIN) != 0);
    }
}
