package dev.septum.flows.session;

import dev.septum.flows.IpAddr;

/**
 * A session as shown and stored: oriented client to server. Exported rows (interim, ended) carry the
 * counters accumulated since the previous export of the same session, so summing rows per key gives
 * totals; live snapshot rows carry totals.
 */
public record SessionRow(
        int vrf, int protocol, Endpoint client, Endpoint server,
        long clientPackets, long clientOctets, int clientTcpFlags,
        long serverPackets, long serverOctets, int serverTcpFlags,
        SessionState state, long firstMillis, long lastMillis,
        DirectionEvidence evidence, long records, EndReason reason) {

    public IpAddr clientAddr() {
        return client.addr();
    }

    public IpAddr serverAddr() {
        return server.addr();
    }

    public long totalOctets() {
        return clientOctets + serverOctets;
    }
}
