package dev.septum.flows.session;

import dev.septum.flows.IpAddr;

/** One side of a session: address and transport port (0 for protocols without ports). */
public record Endpoint(IpAddr addr, int port) implements Comparable<Endpoint> {
    @Override
    public int compareTo(Endpoint o) {
        int c = addr.compareTo(o.addr);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
        return addr.v6() ? "[" + addr + "]:" + port : addr + ":" + port;
    }
}
