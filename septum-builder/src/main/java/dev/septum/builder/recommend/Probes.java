package dev.septum.builder.recommend;

import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.QueryValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sessions reported and never allowed, summarised: a client that failed on many server ports is
 * one scan line; other failed attempts, sessions of unknown direction and those an explicit rule
 * denies are one line per client, server and port.
 */
final class Probes {
    /** A client failing on this many distinct server ports is reported as a scanner. */
    static final int SCAN_PORTS = 10;
    /** Lines reported at most; the totals count every session. */
    static final int MAX_LINES = 500;

    private Probes() {
    }

    static List<Recommendation.Probe> of(TrainingSet training) {
        Map<String, Set<String>> targetsOf = new LinkedHashMap<>();
        for (TrainingSet.Left l : training.left()) {
            if (l.why() == TrainingSet.Excluded.FAILED_ATTEMPT) {
                targetsOf.computeIfAbsent(l.row().clientAddr().toString(), k -> new TreeSet<>())
                        .add(l.row().serverAddr() + ":" + l.row().server().port());
            }
        }
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Recommendation.Probe> lines = new LinkedHashMap<>();
        for (TrainingSet.Left l : training.left()) {
            SessionRow r = l.row();
            String client = r.clientAddr().toString();
            boolean scanner = l.why() == TrainingSet.Excluded.FAILED_ATTEMPT && targetsOf.get(client).size() >= SCAN_PORTS;
            String kind = switch (l.why()) {
                case FAILED_ATTEMPT -> scanner ? "scan" : "failed";
                case NO_DIRECTION -> "no-direction";
                case DENIED_BY_RULE -> "denied";
                case OUTSIDE_SELECTION, ALREADY_ALLOWED -> "";
            };
            if (kind.isEmpty()) {
                continue;
            }
            String key = scanner ? "scan|" + client : kind + "|" + client + "|" + r.serverAddr() + "|" + r.protocol() + "|" + r.server().port();
            long[] c = counts.computeIfAbsent(key, k -> new long[3]);
            c[0] += l.sessions();
            c[1] += r.state() == SessionState.REFUSED ? l.sessions() : 0;
            c[2] += r.state() == SessionState.HALF_OPEN ? l.sessions() : 0;
            String detail = switch (kind) {
                case "scan" -> "failed on " + targetsOf.get(client).size() + " server ports: " + c[1] + " refused, " + c[2] + " unanswered";
                case "failed" -> c[1] + " refused, " + c[2] + " unanswered";
                case "denied" -> "denied by rule " + l.rule();
                default -> "client and server could not be told apart; collect with TCP flags or biflowDirection";
            };
            lines.put(key, new Recommendation.Probe(kind, client, scanner ? "" : r.serverAddr().toString(),
                    QueryValues.protocolName(r.protocol()), scanner ? 0 : r.server().port(), c[0], detail));
        }
        List<Recommendation.Probe> out = new ArrayList<>(lines.values());
        out.sort(Comparator.comparingLong(Recommendation.Probe::sessions).reversed());
        return out.size() > MAX_LINES ? out.subList(0, MAX_LINES) : out;
    }
}
