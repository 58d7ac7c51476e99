package dev.septum.builder.observe;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.SessionSource;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.ObservedSession;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Stored sessions handed to the verifier's break-set: the flow store's rows (deltas and the live
 * part summed per session) in the shape the verifier reads, as the CLI and the server both read them.
 */
public final class ObservedSessions {
    private ObservedSessions() {
    }

    /**
     * @param sinceMs the oldest last-seen time to read, epoch ms
     * @param window  how the caller named the window, e.g. {@code 7d}
     */
    public static BreakSetAnalysis.Observed read(SessionSource store, Optional<Long> sinceMs, String window, int limit)
            throws SQLException {
        SessionQuery q = new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), sinceMs,
                Optional.empty(), limit);
        List<SessionRow> rows = store.query(q);
        List<ObservedSession> sessions = rows.stream().map(ObservedSessions::of).flatMap(Optional::stream).toList();
        String described = rows.size() + " stored sessions" + (sinceMs.isPresent() ? " last seen in the past " + window : " (all stored)");
        return new BreakSetAnalysis.Observed(sessions, described, rows.size() >= limit);
    }

    /** Empty for a row whose addresses are not of one family: the session table never makes one. */
    static Optional<ObservedSession> of(SessionRow r) {
        IPAddress client = address(r.clientAddr());
        IPAddress server = address(r.serverAddr());
        if (client.isIPv4() != server.isIPv4()) {
            return Optional.empty();
        }
        return Optional.of(new ObservedSession(client, r.client().port(), server, r.server().port(), r.protocol(), r.firstMillis(),
                r.lastMillis(), r.clientPackets() + r.serverPackets(), r.totalOctets()));
    }

    private static IPAddress address(IpAddr a) {
        return new IPAddressString(a.toString()).getAddress();
    }
}
