package dev.septum.flows.session;

import dev.septum.flows.IpAddr;

/**
 * Sessions of one client to one service, ephemeral client ports folded into {@code eph}
 * ({@link #EPH}) so a service shows as one line however many connections it had.
 */
public record SessionSummary(
        int vrf, int protocol, IpAddr client, int clientPort, IpAddr server, int serverPort,
        long sessions, long complete, long refused, long clientPackets, long clientOctets, long serverPackets, long serverOctets,
        long firstMillis, long lastMillis) {
    public static final int EPH = -1;

    public String clientPortLabel() {
        return clientPort == EPH ? "eph" : Integer.toString(clientPort);
    }

    public long halfOpen() {
        return sessions - complete - refused;
    }
}
