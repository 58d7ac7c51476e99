package dev.septum.cli;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.FlowStore;
import java.nio.file.Path;
import java.util.List;

/** Sessions written to a real DuckDB flow store through its own API, for the lifecycle commands' tests. */
final class StoredSessions {
    private StoredSessions() {
    }

    /** A complete session of 5 packets (400 bytes) from the client and 4 (900 bytes) back, seen for 2 s up to {@code lastSeen}. */
    static SessionRow row(int protocol, String client, int clientPort, String server, int serverPort, long lastSeen) {
        return new SessionRow(0, protocol, new Endpoint(IpAddr.parse(client), clientPort), new Endpoint(IpAddr.parse(server), serverPort),
                5, 400, 0, 4, 900, 0, SessionState.COMPLETE, lastSeen - 2000, lastSeen, DirectionEvidence.PORTS, 2, EndReason.IDLE_TIMEOUT);
    }

    /** The store's data directory under {@code dir}, holding the rows. */
    static Path store(Path dir, List<SessionRow> rows) throws Exception {
        Path data = dir.resolve("data");
        FlowStore store = new FlowStore(data);
        store.initialise();
        store.write(rows, List.of(), System.currentTimeMillis(), 0);
        return data;
    }
}
