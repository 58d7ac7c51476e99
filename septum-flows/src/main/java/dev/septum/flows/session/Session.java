package dev.septum.flows.session;

/**
 * Live state of one session, keyed canonically (A = lower endpoint). Counters are kept per sending
 * side; the client/server orientation is decided when the session is read, from all evidence so far.
 */
final class Session extends SessionTraffic {
    static final int SYN = 0x02;
    static final int ACK = 0x10;
    static final int FIN = 0x01;
    static final int RST = 0x04;

    final SessionKey key;
    /** Collector clock: creation, last interim export. */
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
        super(key);
        this.key = key;
        this.createdAt = now;
        this.exportedAt = now;
        this.updatedAt = now;
    }

    /** Changed since the store last read it: new records, or an interim export that moved its live part. */
    boolean changedSinceStored() {
        return records != storedRecords || exportedAt != storedExportedAt;
    }

    void markStored() {
        storedRecords = records;
        storedExportedAt = exportedAt;
    }

    /** Packets side A sent: all, or only those not yet exported in interim rows. */
    long packetsA(boolean sinceExport) {
        return packetsA - (sinceExport ? exportedPacketsA : 0);
    }

    long octetsA(boolean sinceExport) {
        return octetsA - (sinceExport ? exportedOctetsA : 0);
    }

    long packetsB(boolean sinceExport) {
        return packetsB - (sinceExport ? exportedPacketsB : 0);
    }

    long octetsB(boolean sinceExport) {
        return octetsB - (sinceExport ? exportedOctetsB : 0);
    }

    /** The first flow's start, or the session's creation when no record carried one. */
    long firstSeen() {
        return firstMs == Long.MAX_VALUE ? createdAt : firstMs;
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
