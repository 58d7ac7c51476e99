package dev.septum.flows.session;

import dev.septum.flows.IpAddr;
import java.util.Arrays;
import java.util.List;

/**
 * Session rows column by column, for the store: a flush's live rows, written by the snapshot under the
 * table's lock into arrays that the next snapshot reuses. A {@link SessionRow} per live session (with
 * its endpoints and addresses) made a 100,000-session table 15-26 MB of garbage a flush, young
 * collections the collector without a store never has (bench/RESULTS.md, fl6 and fl7). Addresses are
 * kept as their bits; an {@link IpAddr} is made only when asked for (tagging, an IPv6 address's text).
 */
public final class SessionColumns {
    private static final SessionState[] STATES = SessionState.values();
    private static final DirectionEvidence[] EVIDENCE = DirectionEvidence.values();

    private int size;
    private int[] vrf = new int[0];
    private int[] protocol = new int[0];
    private boolean[] clientV6 = new boolean[0];
    private boolean[] serverV6 = new boolean[0];
    private long[] clientHi = new long[0];
    private long[] clientLo = new long[0];
    private int[] clientPort = new int[0];
    private long[] serverHi = new long[0];
    private long[] serverLo = new long[0];
    private int[] serverPort = new int[0];
    private long[] clientPackets = new long[0];
    private long[] clientOctets = new long[0];
    private int[] clientFlags = new int[0];
    private long[] serverPackets = new long[0];
    private long[] serverOctets = new long[0];
    private int[] serverFlags = new int[0];
    private byte[] state = new byte[0];
    private long[] firstMs = new long[0];
    private long[] lastMs = new long[0];
    private byte[] evidence = new byte[0];
    private long[] records = new long[0];
    private boolean[] live = new boolean[0];

    /** Exported (or live) rows as columns: what a store writes of rows it was handed one by one. */
    public static SessionColumns of(List<SessionRow> rows) {
        SessionColumns c = new SessionColumns();
        c.reserve(rows.size());
        for (SessionRow r : rows) {
            int i = c.size++;
            c.vrf[i] = r.vrf();
            c.protocol[i] = r.protocol();
            c.clientV6[i] = r.clientAddr().v6();
            c.serverV6[i] = r.serverAddr().v6();
            c.clientHi[i] = r.clientAddr().hi();
            c.clientLo[i] = r.clientAddr().lo();
            c.clientPort[i] = r.client().port();
            c.serverHi[i] = r.serverAddr().hi();
            c.serverLo[i] = r.serverAddr().lo();
            c.serverPort[i] = r.server().port();
            c.set(i, r.clientPackets(), r.clientOctets(), r.clientTcpFlags(), r.serverPackets(), r.serverOctets(), r.serverTcpFlags());
            c.state[i] = (byte) r.state().ordinal();
            c.firstMs[i] = r.firstMillis();
            c.lastMs[i] = r.lastMillis();
            c.evidence[i] = (byte) r.evidence().ordinal();
            c.records[i] = r.records();
            c.live[i] = r.reason() == EndReason.LIVE;
        }
        return c;
    }

    /** Empties the columns, keeping their arrays for the next snapshot. */
    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    /**
     * Adds a live session's row as {@link SessionTable} would make it with the counters not yet
     * exported, oriented by {@code d}. Called under the table's lock.
     */
    void addLive(Session s, DirectionDecider.Decision d) {
        reserve(size + 1);
        int i = size++;
        SessionKey k = s.key;
        boolean clientIsA = d.clientIsA();
        vrf[i] = k.vrf();
        protocol[i] = k.protocol();
        clientV6[i] = k.v6();
        serverV6[i] = k.v6();
        clientHi[i] = clientIsA ? k.aHi() : k.bHi();
        clientLo[i] = clientIsA ? k.aLo() : k.bLo();
        clientPort[i] = clientIsA ? k.aPort() : k.bPort();
        serverHi[i] = clientIsA ? k.bHi() : k.aHi();
        serverLo[i] = clientIsA ? k.bLo() : k.aLo();
        serverPort[i] = clientIsA ? k.bPort() : k.aPort();
        if (clientIsA) {
            set(i, s.packetsA(true), s.octetsA(true), s.flagsA, s.packetsB(true), s.octetsB(true), s.flagsB);
        } else {
            set(i, s.packetsB(true), s.octetsB(true), s.flagsB, s.packetsA(true), s.octetsA(true), s.flagsA);
        }
        state[i] = (byte) s.state().ordinal();
        firstMs[i] = s.firstSeen();
        lastMs[i] = s.lastMs;
        evidence[i] = (byte) d.evidence().ordinal();
        records[i] = s.records;
        live[i] = true;
    }

    private void set(int i, long cp, long co, int cf, long sp, long so, int sf) {
        clientPackets[i] = cp;
        clientOctets[i] = co;
        clientFlags[i] = cf;
        serverPackets[i] = sp;
        serverOctets[i] = so;
        serverFlags[i] = sf;
    }

    /** Grows every column to hold at least {@code n} rows, by half again so a growing table copies rarely. */
    void reserve(int n) {
        if (n <= vrf.length) {
            return;
        }
        int c = Math.max(n, vrf.length + (vrf.length >> 1) + 16);
        vrf = Arrays.copyOf(vrf, c);
        protocol = Arrays.copyOf(protocol, c);
        clientV6 = Arrays.copyOf(clientV6, c);
        serverV6 = Arrays.copyOf(serverV6, c);
        clientHi = Arrays.copyOf(clientHi, c);
        clientLo = Arrays.copyOf(clientLo, c);
        clientPort = Arrays.copyOf(clientPort, c);
        serverHi = Arrays.copyOf(serverHi, c);
        serverLo = Arrays.copyOf(serverLo, c);
        serverPort = Arrays.copyOf(serverPort, c);
        clientPackets = Arrays.copyOf(clientPackets, c);
        clientOctets = Arrays.copyOf(clientOctets, c);
        clientFlags = Arrays.copyOf(clientFlags, c);
        serverPackets = Arrays.copyOf(serverPackets, c);
        serverOctets = Arrays.copyOf(serverOctets, c);
        serverFlags = Arrays.copyOf(serverFlags, c);
        state = Arrays.copyOf(state, c);
        firstMs = Arrays.copyOf(firstMs, c);
        lastMs = Arrays.copyOf(lastMs, c);
        evidence = Arrays.copyOf(evidence, c);
        records = Arrays.copyOf(records, c);
        live = Arrays.copyOf(live, c);
    }

    public int vrf(int i) {
        return vrf[i];
    }

    public int protocol(int i) {
        return protocol[i];
    }

    public boolean clientV6(int i) {
        return clientV6[i];
    }

    public boolean serverV6(int i) {
        return serverV6[i];
    }

    /** The client's address bits: an IPv4 address's 32 bits, an IPv6 address's low 64. */
    public long clientLo(int i) {
        return clientLo[i];
    }

    public long serverLo(int i) {
        return serverLo[i];
    }

    public IpAddr clientAddr(int i) {
        return new IpAddr(clientHi[i], clientLo[i], clientV6[i]);
    }

    public IpAddr serverAddr(int i) {
        return new IpAddr(serverHi[i], serverLo[i], serverV6[i]);
    }

    public int clientPort(int i) {
        return clientPort[i];
    }

    public int serverPort(int i) {
        return serverPort[i];
    }

    public long clientPackets(int i) {
        return clientPackets[i];
    }

    public long clientOctets(int i) {
        return clientOctets[i];
    }

    public int clientTcpFlags(int i) {
        return clientFlags[i];
    }

    public long serverPackets(int i) {
        return serverPackets[i];
    }

    public long serverOctets(int i) {
        return serverOctets[i];
    }

    public int serverTcpFlags(int i) {
        return serverFlags[i];
    }

    public SessionState state(int i) {
        return STATES[state[i]];
    }

    public long firstMillis(int i) {
        return firstMs[i];
    }

    public long lastMillis(int i) {
        return lastMs[i];
    }

    public DirectionEvidence evidence(int i) {
        return EVIDENCE[evidence[i]];
    }

    public long records(int i) {
        return records[i];
    }

    /** Whether row {@code i} is a live session's (else an exported row, which ends its session or was interim). */
    public boolean live(int i) {
        return live[i];
    }
}
