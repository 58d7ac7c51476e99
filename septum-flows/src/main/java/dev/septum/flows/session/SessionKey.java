package dev.septum.flows.session;

import dev.septum.flows.IpAddr;

/**
 * Canonical session key: the smaller endpoint is always A, so both directions of a conversation,
 * and both uniflow records an exporter sends for it, land on one entry.
 *
 * <p>A flat class of primitives with a precomputed hash rather than a record of records: the lookup
 * runs for every flow record, and with 10^5–10^6 live sessions each pointer followed in
 * {@code equals} is a likely cache miss (measured: about 4× slower with nested records).
 */
public final class SessionKey {
    private final int vrf;
    private final int protocol;
    private final boolean v6;
    private final long aHi;
    private final long aLo;
    private final int aPort;
    private final long bHi;
    private final long bLo;
    private final int bPort;
    private final int hash;

    private SessionKey(int vrf, int protocol, boolean v6, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        this.vrf = vrf;
        this.protocol = protocol;
        this.v6 = v6;
        this.aHi = aHi;
        this.aLo = aLo;
        this.aPort = aPort;
        this.bHi = bHi;
        this.bLo = bLo;
        this.bPort = bPort;
        this.hash = hash(vrf, protocol, aHi, aLo, aPort, bHi, bLo, bPort);
    }

    static SessionKey canonical(int vrf, int protocol, boolean v6, long aHi, long aLo, int aPort, long bHi, long bLo,
                                int bPort) {
        return new SessionKey(vrf, protocol, v6, aHi, aLo, aPort, bHi, bLo, bPort);
    }

    public static SessionKey of(int vrf, int protocol, IpAddr x, int xPort, IpAddr y, int yPort) {
        return lessOrEqual(x, xPort, y, yPort)
                ? new SessionKey(vrf, protocol, x.v6(), x.hi(), x.lo(), xPort, y.hi(), y.lo(), yPort)
                : new SessionKey(vrf, protocol, y.v6(), y.hi(), y.lo(), yPort, x.hi(), x.lo(), xPort);
    }

    public static SessionKey of(int vrf, int protocol, Endpoint x, Endpoint y) {
        return of(vrf, protocol, x.addr(), x.port(), y.addr(), y.port());
    }

    private static boolean lessOrEqual(IpAddr x, int xPort, IpAddr y, int yPort) {
        int c = Long.compareUnsigned(x.hi(), y.hi());
        if (c == 0) {
            c = Long.compareUnsigned(x.lo(), y.lo());
        }
        return c < 0 || (c == 0 && xPort <= yPort);
    }

    /** Computes the hash {@link #of} would give, without allocating a key (the lookup path). */
    static int hash(int vrf, int protocol, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        long h = vrf * 31L + protocol;
        h = h * 0x9E3779B97F4A7C15L + aHi;
        h = h * 0x9E3779B97F4A7C15L + aLo;
        h = h * 0x9E3779B97F4A7C15L + aPort;
        h = h * 0x9E3779B97F4A7C15L + bHi;
        h = h * 0x9E3779B97F4A7C15L + bLo;
        h = h * 0x9E3779B97F4A7C15L + bPort;
        return (int) (h ^ (h >>> 32));
    }

    boolean matches(int vrf, int protocol, boolean v6, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        return this.aLo == aLo && this.bLo == bLo && this.aPort == aPort && this.bPort == bPort && this.aHi == aHi
                && this.bHi == bHi && this.vrf == vrf && this.protocol == protocol && this.v6 == v6;
    }

    /** True when (addr, port) is this key's A side. */
    boolean isA(IpAddr addr, int port) {
        return addr.hi() == aHi && addr.lo() == aLo && port == aPort;
    }

    public int vrf() {
        return vrf;
    }

    public int protocol() {
        return protocol;
    }

    long aHi() {
        return aHi;
    }

    long aLo() {
        return aLo;
    }

    long bHi() {
        return bHi;
    }

    long bLo() {
        return bLo;
    }

    boolean v6() {
        return v6;
    }

    public int aPort() {
        return aPort;
    }

    public int bPort() {
        return bPort;
    }

    public Endpoint a() {
        return new Endpoint(new IpAddr(aHi, aLo, v6), aPort);
    }

    public Endpoint b() {
        return new Endpoint(new IpAddr(bHi, bLo, v6), bPort);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey k && k.hash == hash && k.aLo == aLo && k.bLo == bLo && k.aPort == aPort
                && k.bPort == bPort && k.aHi == aHi && k.bHi == bHi && k.vrf == vrf && k.protocol == protocol
                && k.v6 == v6;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "vrf " + vrf + " proto " + protocol + " " + a() + " <-> " + b();
    }
}
