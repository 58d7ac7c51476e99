package dev.septum.builder.recommend;

import dev.septum.flows.IpAddr;
import java.util.Set;
import java.util.TreeSet;

/**
 * One observed class edge: clients of one cell used one server port (or, for protocols without
 * ports, the protocol) of servers of another cell. Its weight is the address pairs it stands for.
 */
final class Edge {
    static final int NO_PORT = -1;

    final int clientCell;
    final int serverCell;
    final int protocol;
    final int port;
    final double weight;
    long sessions;
    long firstMillis = Long.MAX_VALUE;
    long lastMillis = Long.MIN_VALUE;
    Confidence confidence = Confidence.HIGH;
    final Set<IpAddr> clients = new TreeSet<>();
    final Set<IpAddr> servers = new TreeSet<>();

    Edge(int clientCell, int serverCell, int protocol, int port, double weight) {
        this.clientCell = clientCell;
        this.serverCell = serverCell;
        this.protocol = protocol;
        this.port = port;
        this.weight = weight;
    }

    /** How sure the client/server direction of the sessions is: the weakest of them. */
    enum Confidence {
        HIGH, MEDIUM, LOW;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
