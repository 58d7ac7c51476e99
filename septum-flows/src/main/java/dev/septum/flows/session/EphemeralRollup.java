package dev.septum.flows.session;

import dev.septum.flows.IpAddr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Folds sessions whose client port is ephemeral (against the server's port, see
 * {@link PortEvidence#ephemeralAgainst}) into one line per (VRF, protocol, client, server, server port).
 * Rows whose direction had no evidence keep both ports: guessing would merge unrelated conversations.
 */
public final class EphemeralRollup {
    private EphemeralRollup() {
    }

    private record Key<L>(int vrf, int protocol, IpAddr client, int clientPort, IpAddr server, int serverPort, L label) {
    }

    /** A summary line and the label its sessions share. */
    public record Labelled<L>(SessionSummary summary, L label) {
    }

    public static List<SessionSummary> summarise(List<SessionRow> rows) {
        return summarise(rows, r -> r, r -> "").stream().map(Labelled::summary).toList();
    }

    /**
     * As {@link #summarise(List)}, keeping sessions with different labels (e.g. the tags they were
     * stored with under different policy versions) on lines of their own.
     */
    public static <T, L> List<Labelled<L>> summarise(List<T> items, Function<T, SessionRow> row, Function<T, L> label) {
        Map<Key<L>, long[]> acc = new LinkedHashMap<>();
        for (T item : items) {
            SessionRow r = row.apply(item);
            boolean fold = r.evidence() != DirectionEvidence.NONE
                    && PortEvidence.ephemeralAgainst(r.client().port(), r.server().port());
            Key<L> k = new Key<>(r.vrf(), r.protocol(), r.clientAddr(), fold ? SessionSummary.EPH : r.client().port(),
                    r.serverAddr(), r.server().port(), label.apply(item));
            long[] a = acc.computeIfAbsent(k, x -> new long[] {0, 0, 0, 0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0});
            a[0]++;
            a[1] += r.state() == SessionState.COMPLETE ? 1 : 0;
            a[8] += r.state() == SessionState.REFUSED ? 1 : 0;
            a[2] += r.clientPackets();
            a[3] += r.clientOctets();
            a[4] += r.serverPackets();
            a[5] += r.serverOctets();
            a[6] = Math.min(a[6], r.firstMillis());
            a[7] = Math.max(a[7], r.lastMillis());
        }
        List<Labelled<L>> out = new ArrayList<>(acc.size());
        acc.forEach((k, a) -> out.add(new Labelled<>(new SessionSummary(k.vrf(), k.protocol(), k.client(), k.clientPort(),
                k.server(), k.serverPort(), a[0], a[1], a[8], a[2], a[3], a[4], a[5], a[6], a[7]), k.label())));
        // a stable sort: lines differing only by label stay in the order their sessions came
        out.sort(Comparator.comparing(Labelled::summary, Comparator.comparingInt(SessionSummary::vrf)
                .thenComparing(SessionSummary::server).thenComparingInt(SessionSummary::serverPort)
                .thenComparingInt(SessionSummary::protocol).thenComparing(SessionSummary::client)
                .thenComparingInt(SessionSummary::clientPort)));
        return out;
    }
}
