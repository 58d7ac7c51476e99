package dev.septum.flows.session;

/**
 * What a session's flow records change: its key (again) and traffic. Every field read or written for
 * a record is here and nowhere else, in a superclass because HotSpot lays out a superclass's fields
 * before its subclass's, so these sit together at the front of a {@link Session} (about 150 bytes,
 * three cache lines) and the table's bookkeeping that records never touch comes after them. Declared
 * in one class the JVM put longs before ints, and the record path touched four or five cache lines
 * of a 232-byte object, each a likely miss with 10^5 live sessions.
 */
abstract sealed class SessionTraffic permits Session {
    /*
     * The key's fields, copied so the lookup compares them in the cache lines that apply() updates
     * anyway: following the key object cost one more cache miss per record.
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
    /** Collector clock: last update. */
    long updatedAt;

    SessionTraffic(SessionKey key) {
        this.aHi = key.aHi();
        this.aLo = key.aLo();
        this.bHi = key.bHi();
        this.bLo = key.bLo();
        this.vrf = key.vrf();
        this.protocol = key.protocol();
        this.aPort = key.aPort();
        this.bPort = key.bPort();
        this.v6 = key.v6();
    }

    /** The same test as {@link SessionKey#matches}, on this session's copy of the key. */
    final boolean matches(int vrf, int protocol, boolean v6, long aHi, long aLo, int aPort, long bHi, long bLo,
                          int bPort) {
        return this.aLo == aLo && this.bLo == bLo && this.aPort == aPort && this.bPort == bPort && this.aHi == aHi
                && this.bHi == bHi && this.vrf == vrf && this.protocol == protocol && this.v6 == v6;
    }

    /**
     * Reads fields at most 56 bytes apart from the first to the last of the layout above (offsets 12,
     * 56, 112, 156), only to bring every cache line of it in early (see SessionTable.acceptAll).
     */
    final long touch() {
        return vrf + octetsA + records + (v6 ? 1 : 0);
    }
}
