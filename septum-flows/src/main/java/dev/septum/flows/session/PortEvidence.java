package dev.septum.flows.session;

import java.util.BitSet;

/**
 * How server-like a port looks. Not "port below 1024": Linux clients pick from 32768–60999 and Windows
 * from 49152–65535, many services listen in 1024–32767, and a port in a known-service list outranks an
 * unknown one of the same range.
 */
public final class PortEvidence {
    public static final int EPHEMERAL = 0;
    public static final int REGISTERED = 1;
    public static final int SERVICE = 2;
    public static final int WELL_KNOWN = 3;
    /** Linux's default ip_local_port_range starts here; IANA's dynamic range starts at 49152. */
    public static final int EPHEMERAL_START = 32768;

    private static final BitSet SERVICES = new BitSet(65536);

    static {
        int[] services = {1080, 1194, 1433, 1521, 1701, 1723, 1812, 1813, 1883, 2049, 2181, 2375, 2376, 2379,
            2380, 3000, 3128, 3260, 3268, 3269, 3306, 3389, 3478, 4369, 4500, 4739, 4789, 5000, 5044, 5060, 5061,
            5222, 5353, 5432, 5601, 5665, 5666, 5672, 5900, 5985, 5986, 6379, 6443, 6514, 6653, 7000, 7001,
            7077, 8000, 8008, 8080, 8081, 8088, 8200, 8443, 8500, 8888, 9000, 9042, 9090, 9092, 9093, 9100,
            9200, 9300, 9418, 9995, 9996, 10050, 10051, 10250, 11211, 15672, 27017};
        for (int p : services) {
            SERVICES.set(p);
        }
    }

    private PortEvidence() {
    }

    public static int rank(int port) {
        if (port >= 1 && port <= 1023) {
            return WELL_KNOWN;
        }
        if (SERVICES.get(port)) {
            return SERVICE;
        }
        return port >= EPHEMERAL_START ? EPHEMERAL : REGISTERED;
    }

    /** A client port worth summarising as {@code eph}: less server-like than the server's port. */
    public static boolean ephemeralAgainst(int clientPort, int serverPort) {
        int c = rank(clientPort);
        return c == EPHEMERAL || c < rank(serverPort);
    }
}
