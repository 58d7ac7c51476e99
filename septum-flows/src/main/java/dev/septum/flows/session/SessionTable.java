package dev.septum.flows.session;

import dev.septum.flows.FlowRecord;
import dev.septum.flows.FlowSink;
import dev.septum.flows.FlowFields;
import java.util.ArrayList;
import java.util.List;

/**
 * The monitor node's session table: flow records in, sessions out. Uniflow records of both directions
 * stitch into one entry (canonical key), biflow records fill both directions at once. Sessions leave on
 * idle, half-open, end-of-flow (after a linger) or table-full; active sessions export interim deltas.
 *
 * <p>Not thread-safe: the collector applies a batch of datagrams under one lock, and readers take the
 * same lock for {@link #snapshot()} or for each step of {@link #snapshotInSteps}.
 */
public final class SessionTable implements FlowSink {
    private final SessionTimeouts timeouts;
    private final int maxSessions;
    private final SessionListener listener;
    private final SessionCounters counters = new SessionCounters();
    private final SessionIndex sessions;
    /** Live sessions per endpoint, the fan-in evidence for servers on unremarkable ports. */
    private final EndpointCounts fanIn = new EndpointCounts(1 << 10);
    private final DirectionDecider.FanIn fanInCounts = this::sessionsOn;
    private long now;

    public SessionTable(SessionTimeouts timeouts, int maxSessions, SessionListener listener) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("max sessions must be at least 1, got " + maxSessions);
        }
        this.timeouts = timeouts;
        this.maxSessions = maxSessions;
        this.listener = listener;
        this.sessions = new SessionIndex(Math.min(maxSessions, 1 << 16));
    }

    /** Sets the collector clock used for records applied from now on (arrival time, not flow time). */
    public void setNow(long nowMs) {
        now = nowMs;
    }

    @Override
    public void accept(FlowRecord r) {
        accept((FlowFields) r);
    }

    /** Each record's hash and side of the batch being applied by {@link #acceptAll}, computed once. */
    private int[] batchHashes = new int[0];
    private boolean[] batchSrcIsA = new boolean[0];
    /** Sum of the fields the touch loop read: kept in a field so the JIT cannot drop the loads as unused. */
    private long touched;

    /**
     * Computes every record's key hash first, then loads the index slot and session each will hit
     * (a loop of a few instructions per record, so the out-of-order core keeps many of those cache
     * misses in flight at once), then applies them in order, as {@link #accept(FlowFields)} would.
     */
    @Override
    public void acceptAll(FlowFields[] records, int count) {
        if (batchHashes.length < count) {
            batchHashes = new int[count];
            batchSrcIsA = new boolean[count];
        }
        for (int i = 0; i < count; i++) {
            FlowFields r = records[i];
            boolean srcIsA = srcIsA(r);
            batchSrcIsA[i] = srcIsA;
            batchHashes[i] = hash(r, srcIsA);
        }
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += sessions.touch(batchHashes[i]);
        }
        touched += sum;
        for (int i = 0; i < count; i++) {
            accept(records[i], batchHashes[i], batchSrcIsA[i]);
        }
    }

    private static boolean icmp(FlowFields r) {
        return r.protocol() == FlowRecord.ICMP || r.protocol() == FlowRecord.ICMPV6;
    }

    /** Whether the record's source is the key's A side (the lower address, then the lower port). */
    private static boolean srcIsA(FlowFields r) {
        // ICMP: request and reply carry different types, so ports do not identify the conversation.
        boolean icmp = icmp(r);
        int c = Long.compareUnsigned(r.srcHi(), r.dstHi());
        if (c == 0) {
            c = Long.compareUnsigned(r.srcLo(), r.dstLo());
        }
        return c < 0 || (c == 0 && (icmp || r.srcPort() <= r.dstPort()));
    }

    private static int hash(FlowFields r, boolean srcIsA) {
        boolean icmp = icmp(r);
        int srcPort = icmp ? 0 : r.srcPort();
        int dstPort = icmp ? 0 : r.dstPort();
        return srcIsA
                ? SessionKey.hash(r.vrf(), r.protocol(), r.srcHi(), r.srcLo(), srcPort, r.dstHi(), r.dstLo(), dstPort)
                : SessionKey.hash(r.vrf(), r.protocol(), r.dstHi(), r.dstLo(), dstPort, r.srcHi(), r.srcLo(), srcPort);
    }

    /** The hot path: reads the decoder's fields in place; nothing is allocated unless a session is new. */
    @Override
    public void accept(FlowFields r) {
        boolean srcIsA = srcIsA(r);
        accept(r, hash(r, srcIsA), srcIsA);
    }

    private void accept(FlowFields r, int hash, boolean srcIsA) {
        boolean icmp = icmp(r);
        int srcPort = icmp ? 0 : r.srcPort();
        int dstPort = icmp ? 0 : r.dstPort();
        long aHi = srcIsA ? r.srcHi() : r.dstHi();
        long aLo = srcIsA ? r.srcLo() : r.dstLo();
        long bHi = srcIsA ? r.dstHi() : r.srcHi();
        long bLo = srcIsA ? r.dstLo() : r.srcLo();
        int aPort = srcIsA ? srcPort : dstPort;
        int bPort = srcIsA ? dstPort : srcPort;
        boolean v6 = r.v6();
        Session s = sessions.get(hash, r.vrf(), r.protocol(), v6, aHi, aLo, aPort, bHi, bLo, bPort);
        if (s == null) {
            if (sessions.size() >= maxSessions) {
                Session victim = sessions.evictionCandidate();
                sessions.remove(victim);
                end(victim, EndReason.LACK_OF_RESOURCES);
                counters.evictedFull.incrementAndGet();
            }
            SessionKey key = SessionKey.canonical(r.vrf(), r.protocol(), v6, aHi, aLo, aPort, bHi, bLo, bPort);
            s = new Session(key, now);
            sessions.put(s);
            fan(key, +1);
            counters.created.incrementAndGet();
            counters.live.incrementAndGet();
        }
        apply(s, r, srcIsA, icmp);
        // single writer (under the collector's lock): an opaque store is enough for readers
        counters.recordsApplied.setOpaque(counters.recordsApplied.getPlain() + 1);
    }

    private void apply(Session s, FlowFields r, boolean srcIsA, boolean icmp) {
        if (srcIsA) {
            s.packetsA += r.packets();
            s.octetsA += r.octets();
            s.flagsA |= r.tcpFlags();
            s.packetsB += r.reversePackets();
            s.octetsB += r.reverseOctets();
            s.flagsB |= r.reverseTcpFlags();
        } else {
            s.packetsB += r.packets();
            s.octetsB += r.octets();
            s.flagsB |= r.tcpFlags();
            s.packetsA += r.reversePackets();
            s.octetsA += r.reverseOctets();
            s.flagsA |= r.reverseTcpFlags();
        }
        if (r.packets() > 0 || !r.biflow()) {
            if (srcIsA) {
                s.startA = Math.min(s.startA, r.startMillis());
            } else {
                s.startB = Math.min(s.startB, r.startMillis());
            }
        }
        int srcSide = srcIsA ? 1 : 2;
        if (r.biflowDirection() == 1) {
            s.initiatorHint = srcSide;
        } else if (r.biflowDirection() == 2) {
            s.initiatorHint = 3 - srcSide;
        }
        // Without biflowDirection a biflow's source says nothing: softflowd -b puts the lower address
        // first (a DNS server at 10.2.0.53 is the "source" of its clients' queries), as its test shows.
        if (icmp) {
            int type = r.dstPort() >>> 8;
            if (type == 8 || type == 128) {
                s.echoRequestFrom = srcSide;
            } else if ((type == 0 || type == 129) && s.echoRequestFrom == 0) {
                s.echoRequestFrom = 3 - srcSide;
            }
        }
        s.firstMs = Math.min(s.firstMs, r.startMillis());
        s.lastMs = Math.max(s.lastMs, r.endMillis());
        s.records++;
        s.updatedAt = now;
    }

    private void fan(SessionKey k, int delta) {
        fanIn.add(k.vrf(), k.protocol(), k.aHi(), k.aLo(), k.v6(), k.aPort(), delta);
        fanIn.add(k.vrf(), k.protocol(), k.bHi(), k.bLo(), k.v6(), k.bPort(), delta);
    }

    private int sessionsOn(int vrf, int protocol, Endpoint e) {
        return fanIn.get(vrf, protocol, e.addr().hi(), e.addr().lo(), e.addr().v6(), e.port());
    }

    /**
     * Ends sessions whose timeout passed and exports interim rows for long-lived ones. Cost is one pass
     * over the table; the collector calls it about once a second.
     */
    public void expire(long nowMs) {
        now = nowMs;
        for (Session s : sessions.all()) {
            long quiet = nowMs - s.updatedAt;
            EndReason reason = null;
            if (s.key.protocol() == FlowRecord.TCP && s.closed() && quiet >= timeouts.closedLingerMs()) {
                reason = EndReason.END_OF_FLOW;
            } else if (quiet >= (s.complete() ? timeouts.idleMs() : timeouts.halfOpenMs())) {
                reason = EndReason.IDLE_TIMEOUT;
            }
            if (reason != null) {
                sessions.remove(s);
                end(s, reason);
            } else if (nowMs - s.exportedAt >= timeouts.activeMs()) {
                listener.exported(row(s, EndReason.ACTIVE_TIMEOUT, true));
                s.exportedAt = nowMs;
                s.exportedPacketsA = s.packetsA;
                s.exportedOctetsA = s.octetsA;
                s.exportedPacketsB = s.packetsB;
                s.exportedOctetsB = s.octetsB;
                counters.interimExports.incrementAndGet();
            }
        }
    }

    /** Ends every session (shutdown): each is exported with reason forced end. */
    public void flushAll() {
        for (Session s : sessions.all()) {
            sessions.remove(s);
            end(s, EndReason.FORCED_END);
        }
    }

    private void end(Session s, EndReason reason) {
        s.ended = true;
        fan(s.key, -1);
        counters.live.decrementAndGet();
        switch (reason) {
            case IDLE_TIMEOUT -> counters.endedIdle.incrementAndGet();
            case END_OF_FLOW -> counters.endedEndOfFlow.incrementAndGet();
            case FORCED_END -> counters.endedForced.incrementAndGet();
            default -> {
            }
        }
        listener.exported(row(s, reason, true));
    }

    /** Live sessions with totals, oriented client to server. */
    public List<SessionRow> snapshot() {
        return snapshot(false);
    }

    /**
     * Live sessions. With {@code sinceLastExport} the counters exclude what interim rows already
     * exported, so a store can add this snapshot to its exported rows without counting anything twice.
     */
    public List<SessionRow> snapshot(boolean sinceLastExport) {
        List<SessionRow> out = new ArrayList<>(sessions.size());
        sessions.forEach(s -> out.add(row(s, EndReason.LIVE, sinceLastExport)));
        return out;
    }

    /**
     * A snapshot to take in steps, for a reader that must not hold the table's lock for all of it (the
     * receive loop waits while it does). This call copies only the references to the live sessions;
     * each {@link Snapshot#next} turns the next few into rows. Call both under the lock that guards
     * the table, as for {@link #snapshot(boolean)}.
     */
    public Snapshot snapshotInSteps(boolean sinceLastExport) {
        // sized for every session: growing the list to 100,000 rows copied it about 20 times
        return new Snapshot(sessions.all(), sinceLastExport, new ArrayList<>(sessions.size()), null, false);
    }

    /**
     * The store's snapshot, in steps as {@link #snapshotInSteps}: the counters not yet exported of every
     * live session, or with {@code changedOnly} of those changed since the store last read them (new
     * records or an interim export), each then remembered as stored. The rows go into {@code into},
     * emptied first, not into {@link Snapshot#rows}: its arrays are reused flush after flush, so a
     * flush leaves no garbage per session.
     */
    public Snapshot storeSnapshotInSteps(boolean changedOnly, SessionColumns into) {
        into.clear();
        into.reserve(sessions.size());
        return new Snapshot(sessions.all(), true, List.of(), into, changedOnly);
    }

    /** See {@link #snapshotInSteps}. Sessions that ended since it was started are left out. */
    public final class Snapshot {
        private final List<Session> live;
        private final boolean sinceLastExport;
        private final List<SessionRow> rows;
        /** The store's columns, else null (a view: rows, nothing remembered). */
        private final SessionColumns columns;
        private final boolean changedOnly;
        private int next;
        private int changed;

        private Snapshot(List<Session> live, boolean sinceLastExport, List<SessionRow> rows, SessionColumns columns,
                         boolean changedOnly) {
            this.live = live;
            this.sinceLastExport = sinceLastExport;
            this.rows = rows;
            this.columns = columns;
            this.changedOnly = changedOnly;
        }

        /** Turns up to {@code max} more sessions into rows; false once all are done. */
        public boolean next(int max) {
            int end = Math.min(live.size(), next + max);
            for (; next < end; next++) {
                Session s = live.get(next);
                if (s.ended) {
                    continue;
                }
                if (columns == null) {
                    rows.add(row(s, EndReason.LIVE, sinceLastExport));
                    continue;
                }
                if (s.changedSinceStored()) {
                    changed++;
                } else if (changedOnly) {
                    continue;
                }
                columns.addLive(s, DirectionDecider.decide(s, fanInCounts));
                s.markStored();
            }
            return next < live.size();
        }

        /** A view's rows; empty for the store's snapshot, whose rows are its columns. */
        public List<SessionRow> rows() {
            return rows;
        }

        /** Sessions live when the snapshot started. */
        public int sessions() {
            return live.size();
        }

        /** For the store's snapshot: sessions read that changed since the store last read them (in either scope). */
        public int changed() {
            return changed;
        }
    }

    public int size() {
        return sessions.size();
    }

    public SessionCounters counters() {
        return counters;
    }

    private SessionRow row(Session s, EndReason reason, boolean delta) {
        DirectionDecider.Decision d = DirectionDecider.decide(s, fanInCounts);
        long pa = s.packetsA(delta);
        long oa = s.octetsA(delta);
        long pb = s.packetsB(delta);
        long ob = s.octetsB(delta);
        SessionKey k = s.key;
        SessionState state = s.state();
        long first = s.firstSeen();
        // Endpoints are made for each row, not kept in the session: kept, they were four more objects per
        // live session for the first young collection after the table grew to copy (100,000 sessions:
        // 22-52 ms against 8-21 ms, bench/flows/FirstYoungPause.java), a pause that filled the socket
        // buffer on top of a flush; made per row, they die with the flush's rows.
        return d.clientIsA()
                ? new SessionRow(k.vrf(), k.protocol(), k.a(), k.b(), pa, oa, s.flagsA, pb, ob, s.flagsB,
                        state, first, s.lastMs, d.evidence(), s.records, reason)
                : new SessionRow(k.vrf(), k.protocol(), k.b(), k.a(), pb, ob, s.flagsB, pa, oa, s.flagsA,
                        state, first, s.lastMs, d.evidence(), s.records, reason);
    }
}
