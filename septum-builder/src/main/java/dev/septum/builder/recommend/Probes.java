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
        // counted per line first, worded once per line: a scan is thousands of classes
        Map<String, Line> lines = new LinkedHashMap<>();
        for (TrainingSet.Left l : training.left()) {
            SessionRow r = l.row();
            String kind = switch (l.why()) {
                case FAILED_ATTEMPT -> "failed";
                case NO_DIRECTION -> "no-direction";
                case DENIED_BY_RULE -> "denied";
                case OUTSIDE_SELECTION, ALREADY_ALLOWED -> "";
            };
            if (kind.isEmpty()) {
                continue;
            }
            String client = r.clientAddr().toString();
            boolean scanner = kind.equals("failed") && targetsOf.get(client).size() >= SCAN_PORTS;
            String key = scanner ? "scan|" + client : kind + "|" + client + "|" + r.serverAddr() + "|" + r.protocol() + "|" + r.server().port();
            Line line = lines.computeIfAbsent(key, k -> new Line(scanner ? "scan" : kind, client, r));
            line.rule = l.rule();
            line.sessions += l.sessions();
            line.refused += r.state() == SessionState.REFUSED ? l.sessions() : 0;
            line.unanswered += r.state() == SessionState.HALF_OPEN ? l.sessions() : 0;
        }
        List<Recommendation.Probe> out = new ArrayList<>(lines.values().stream().map(line -> line.probe(targetsOf)).toList());
        out.sort(Comparator.comparingLong(Recommendation.Probe::sessions).reversed());
        return out.size() > MAX_LINES ? out.subList(0, MAX_LINES) : out;
    }

    /** One reported line while its sessions are counted; {@code row} is its first session, {@code rule} its last's. */
    private static final class Line {
        final String kind;
        final String client;
        final SessionRow row;
        String rule = "";
        long sessions;
        long refused;
        long unanswered;

        Line(String kind, String client, SessionRow row) {
            this.kind = kind;
            this.client = client;
            this.row = row;
        }

        Recommendation.Probe probe(Map<String, Set<String>> targetsOf) {
            boolean scan = kind.equals("scan");
            String detail = switch (kind) {
                case "scan" -> "failed on " + targetsOf.get(client).size() + " server ports: " + refused + " refused, " + unanswered + " unanswered";
                case "failed" -> refused + " refused, " + unanswered + " unanswered";
                case "denied" -> "denied by rule " + rule;
                default -> "client and server could not be told apart; collect with TCP flags or biflowDirection";
            };
            return new Recommendation.Probe(kind, client, scan ? "" : row.serverAddr().toString(),
                    QueryValues.protocolName(row.protocol()), scan ? 0 : row.server().port(), sessions, detail);
        }
    }
}
