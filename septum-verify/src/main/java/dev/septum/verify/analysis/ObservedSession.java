package dev.septum.verify.analysis;

import inet.ipaddr.IPAddress;

/**
 * A session seen on the network, oriented client to server, as a flow store keeps it: the verifier
 * may not depend on the flow store, so its readers hand sessions over in this shape.
 *
 * @param clientPort 0 when unknown (a folded ephemeral port): every source port is then possible
 * @param serverPort 0 for protocols without ports
 * @param packets    both directions
 * @param bytes      both directions
 */
public record ObservedSession(IPAddress client, int clientPort, IPAddress server, int serverPort, int protocol,
                              long firstMillis, long lastMillis, long packets, long bytes) {
    public ObservedSession {
        if (client.isIPv4() != server.isIPv4()) {
            throw new IllegalArgumentException("client " + client + " and server " + server + " are of different address families");
        }
    }

    /** {@code 172.18.6.138:50022 -> 10.100.99.51:22 tcp}. */
    public String describe() {
        String p = new dev.septum.model.Protocol(protocol).keyword();
        return clientPort == 0 && serverPort == 0 ? host(client) + " -> " + host(server) + " " + p
                : host(client) + ":" + (clientPort == 0 ? "eph" : clientPort) + " -> " + host(server) + ":" + serverPort + " " + p;
    }

    private static String host(IPAddress a) {
        String text = a.withoutPrefixLength().toCanonicalString();
        return a.isIPv6() ? "[" + text + "]" : text;
    }
}
