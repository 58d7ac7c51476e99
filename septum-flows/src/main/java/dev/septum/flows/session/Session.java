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
    /*
     * The key's fields again, copied here so the lookup compares them in the cache lines that apply()
     * updates anyway: following s.key cost one more cache miss per record, and with 10^5 live sessions
     * perf put half the collector's CPU in SessionTable.accept (lookup + apply).
     */
    private final long aHi;
    private final long aLo;
    private final long bHi;
    private final long bLo;
    private final int vrf;
    private final int protocol;
    private final int aPort;
    private final int bPort;
    private final boolean v6;
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
    /** Left the table: a snapshot taken in steps skips it (its final row went to the listener). */
    boolean ended;
    /*
     * What the store last read of this session: its record count and interim export time. Written
     * only by store snapshots, so the per-record path stays as it was; a session whose records or
     * interim export moved on since is what the next store flush rewrites.
     */
    long storedRecords;
    long storedExportedAt = Long.MIN_VALUE;

    Session(SessionKey key, long now) {
        this.key = key;
        this.aHi = key.aHi();
        this.aLo = key.aLo();
        this.bHi = key.bHi();
        this.bLo = key.bLo();
        this.vrf = key.vrf();
        this.protocol = key.protocol();
        this.aPort = key.aPort();
        this.bPort = key.bPort();
        this.v6 = key.v6();
        this.createdAt = now;
        this.exportedAt = now;
        this.updatedAt = now;
    }

    /** The same test as {@link SessionKey#matches}, on this session's copy of the key. */
    boolean matches(int vrf, int protocol, boolean v6, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        return this.aLo == aLo && this.bLo == bLo && this.aPort == aPort && this.bPort == bPort && this.aHi == aHi
                && this.bHi == bHi && this.vrf == vrf && this.protocol == protocol && this.v6 == v6;
    }

    /** A field of the key's cache line, read only to bring the line in early. */
    long touchKey() {
        return aLo;
    }

    /** Changed since the store last read it: new records, or an interim export that moved its live part. */
    boolean changedSinceStored() {
        return records != storedRecords || exportedAt != storedExportedAt;
    }

    void markStored() {
        storedRecords = records;
        storedExportedAt = exportedAt;
    }

    SessionState state() {
        return SessionState.of(key.protocol(), packetsA, flagsA, packetsB, flagsB);
    }

    boolean complete() {
        return state() == SessionState.COMPLETE;
    }

    boolean closed() {
        return ((flagsA | flagsB) & RST) != 0 || ((flagsA & FIN) != 0 && (flagsB & FIN) != 0);
    }
}
