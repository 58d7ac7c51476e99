package dev.septum.verify.analysis;

import com.github.javabdd.BDD;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.model.IpFamily;
import dev.septum.model.Protocol;
import dev.septum.model.Service;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import dev.septum.verify.HeaderSpace;
import dev.septum.verify.Level;
import dev.septum.verify.SemanticDiff;
import dev.septum.verify.SemanticDiff.Kind;
import dev.septum.verify.SemanticDiff.Region;
import dev.septum.verify.analysis.Analysis.Column;
import dev.septum.verify.analysis.Analysis.Note;
import dev.septum.verify.analysis.Analysis.Table;
import dev.septum.verify.analysis.Analysis.Type;
import dev.septum.verify.analysis.SessionPackets.Direction;
import inet.ipaddr.IPAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code breakset}: the observed sessions whose verdict a change alters, newly blocked, allowed or
 * redirected, grouped by enforcement point, change, client and server groups and service. Exact:
 * each session is tested against the semantic diff's regions, the very packet sets whose verdict
 * differs between the two builds' decision models, on every enforced VRF of every device. A stateless
 * device decides the replies too, so there a session also breaks when its reply packets change.
 *
 * <p>A session that leaves a header field open (ICMP keeps no type or code, a folded client port
 * no number) is every packet it could be: it is listed when some of them change, and counted
 * {@code in part} unless all of them do.
 */
public final class BreakSetAnalysis {
    public static final String KIND = "breakset";
    private static final int EXAMPLES = 3;
    private static final int EPHEMERAL = 49152;
    private static final List<Column> COLUMNS = List.of(
            Column.of("enforcedAt", "enforced at", Type.TEXT),
            Column.of("kind", "change", Type.TEXT),
            Column.of("before", "before", Type.TEXT),
            Column.of("after", "after", Type.TEXT),
            Column.of("direction", "packets", Type.TEXT),
            Column.of("clientGroups", "client groups", Type.LIST),
            Column.of("serverGroups", "server groups", Type.LIST),
            Column.of("service", "service", Type.TEXT),
            Column.of("sessions", "sessions", Type.NUMBER),
            Column.of("inPart", "in part", Type.NUMBER),
            Column.of("packets", "packets", Type.NUMBER),
            Column.of("bytes", "bytes", Type.NUMBER),
            Column.of("firstSeen", "first seen", Type.TEXT),
            Column.of("lastSeen", "last seen", Type.TEXT),
            Column.of("examples", "e.g.", Type.LINES).below(),
            Column.of("decidedBefore", "decided before by", Type.TEXT).below(),
            Column.of("decidedAfter", "decided after by", Type.TEXT).below());

    private BreakSetAnalysis() {
    }

    /**
     * The sessions to test and where they came from.
     *
     * @param window    e.g. {@code sessions last seen in the past 7d}
     * @param truncated true when the reader stopped at its limit, so more sessions may break
     */
    public record Observed(List<ObservedSession> sessions, String window, boolean truncated) {
        public Observed {
            sessions = List.copyOf(sessions);
        }
    }

    /** The break-set's table and notes, for an analysis of its own or appended to a diff. */
    public record Part(Table table, List<Note> notes, int brokenSessions) {
    }

    public static Analysis of(PolicyBuild before, String beforeLabel, PolicyBuild after, String afterLabel, Observed observed) {
        Part part = part(before, after, observed);
        SequencedMap<String, String> subject = new LinkedHashMap<>();
        subject.put("before", beforeLabel);
        subject.put("after", afterLabel);
        subject.put("sessions", observed.window());
        return new Analysis(KIND, "observed sessions changed from " + beforeLabel + " to " + afterLabel, subject,
                List.of(part.table()), part.notes());
    }

    public static Part part(PolicyBuild before, PolicyBuild after, Observed observed) {
        Labels labels = new Labels(before, after);
        Map<Key, Rows> rows = new LinkedHashMap<>();
        Set<ObservedSession> broken = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Region region : SemanticDiff.regions(before, after)) {
            BDD outside = region.packets().not();
            List<Direction> directions = Direction.decidedOn(region.semantics());
            for (ObservedSession s : observed.sessions()) {
                if (IpFamily.of(s.client()) != region.space().family()) {
                    continue;
                }
                for (Direction d : directions) {
                    hit(region, outside, s, d).ifPresent(hit -> {
                        broken.add(s);
                        Key key = new Key(region.enforcedAt(), region.kind().keyword(), region.before().keyword(),
                                region.after().keyword(), d.keyword(), labels.groups(s.client()), labels.groups(s.server()),
                                labels.service(s));
                        rows.computeIfAbsent(key, k -> new Rows(region, hit.example())).add(s, hit.whole());
                    });
                }
            }
            outside.free();
        }
        List<Map.Entry<Key, Rows>> ordered = new ArrayList<>(rows.entrySet());
        ordered.sort(Comparator.comparing((Map.Entry<Key, Rows> e) -> e.getKey().kind())
                .thenComparing(e -> -e.getValue().sessions));
        Table table = new Table("breaks", "observed sessions whose verdict changes", COLUMNS,
                ordered.stream().map(e -> e.getValue().row(e.getKey())).toList());
        return new Part(table, notes(observed, broken, table), broken.size());
    }

    private static List<Note> notes(Observed observed, Set<ObservedSession> broken, Table table) {
        List<Note> notes = new ArrayList<>();
        if (broken.isEmpty()) {
            notes.add(new Note(Level.INFO, "no observed session changes verdict (" + observed.sessions().size() + " sessions, "
                    + observed.window() + ")"));
        } else {
            long blocked = table.count("kind", Kind.NEWLY_BLOCKED.keyword());
            notes.add(new Note(blocked > 0 ? Level.WARNING : Level.INFO, broken.size() + " of " + observed.sessions().size()
                    + " observed sessions change verdict (" + observed.window() + ")"
                    + (blocked > 0 ? "; " + blocked + " group(s) of them are newly blocked" : "")));
        }
        if (observed.truncated()) {
            notes.add(new Note(Level.WARNING, "only the " + observed.sessions().size()
                    + " most recent sessions were read; older ones may change verdict too (narrow the window or raise the limit)"));
        }
        notes.add(new Note(Level.INFO, "a session's VRF id is not mapped to a VRF name: each session is tested on every"
                + " enforced VRF of every device"));
        return notes;
    }

    /** A packet of the session inside the changed region, and whether every packet of it is. */
    private record Hit(Flow example, boolean whole) {
    }

    private static Optional<Hit> hit(Region region, BDD outside, ObservedSession s, Direction d) {
        HeaderSpace space = region.space();
        Optional<Flow> concrete = SessionPackets.concrete(s, d);
        if (concrete.isPresent()) {
            return space.contains(region.packets(), concrete.get()) ? Optional.of(new Hit(concrete.get(), true)) : Optional.empty();
        }
        BDD packets = SessionPackets.packets(space, s, d);
        BDD inside = packets.and(region.packets());
        try {
            if (inside.isZero()) {
                return Optional.empty();
            }
            BDD left = packets.and(outside);
            boolean whole = left.isZero();
            left.free();
            return Optional.of(new Hit(space.example(inside), whole));
        } finally {
            inside.free();
            packets.free();
        }
    }

    private record Key(String enforcedAt, String kind, String before, String after, String direction, List<String> clientGroups,
                       List<String> serverGroups, String service) {
    }

    /** The sessions of one row, summed. */
    private static final class Rows {
        private final Region region;
        private final Flow firstExample;
        private final List<String> examples = new ArrayList<>();
        private long sessions;
        private long inPart;
        private long packets;
        private long bytes;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        Rows(Region region, Flow firstExample) {
            this.region = region;
            this.firstExample = firstExample;
        }

        void add(ObservedSession s, boolean whole) {
            sessions++;
            inPart += whole ? 0 : 1;
            packets += s.packets();
            bytes += s.bytes();
            first = Math.min(first, s.firstMillis());
            last = Math.max(last, s.lastMillis());
            if (examples.size() < EXAMPLES) {
                examples.add(s.describe() + " (" + s.packets() + " packets, last seen " + Instant.ofEpochMilli(s.lastMillis()) + ")");
            }
        }

        List<Object> row(Key k) {
            return Arrays.asList(k.enforcedAt(), k.kind(), k.before(), k.after(), k.direction(), k.clientGroups(), k.serverGroups(),
                    k.service(), sessions, inPart, packets, bytes, Instant.ofEpochMilli(first).toString(),
                    Instant.ofEpochMilli(last).toString(), List.copyOf(examples), region.decidedBefore(firstExample),
                    region.decidedAfter(firstExample));
        }
    }

    /** Group and service names from both versions, so a group only one of them has still names its members. */
    private static final class Labels {
        private final List<PolicyBuild> builds;
        private final Map<IPAddress, List<String>> groups = new java.util.HashMap<>();

        Labels(PolicyBuild before, PolicyBuild after) {
            this.builds = List.of(after, before);
        }

        List<String> groups(IPAddress address) {
            return groups.computeIfAbsent(address, a -> {
                Set<String> names = new TreeSet<>();
                IPAddress host = a.withoutPrefixLength();
                builds.forEach(b -> b.resolution().groups().values().stream()
                        .filter(g -> g.members().stream().anyMatch(m -> m.prefix().contains(host)))
                        .forEach(g -> names.add(g.group())));
                return List.copyOf(names);
            });
        }

        /** The policy services of the session's protocol and server port, else e.g. {@code tcp/8080}. */
        String service(ObservedSession s) {
            Protocol p = new Protocol(s.protocol());
            Flow flow = p.hasPorts() ? new Flow(s.client(), s.server(), s.protocol(), s.clientPort() == 0 ? EPHEMERAL : s.clientPort(),
                    s.serverPort()) : new Flow(s.client(), s.server(), s.protocol(), 0, 0);
            Set<String> names = new LinkedHashSet<>();
            builds.forEach(b -> b.model().services().values().stream()
                    .filter(svc -> svc.entries().stream().anyMatch(e -> FlowTracer.matches(e, flow)))
                    .map(Service::name).forEach(names::add));
            if (!names.isEmpty()) {
                return String.join(", ", names);
            }
            return p.hasPorts() ? p.keyword() + "/" + s.serverPort() : p.keyword();
        }
    }
}
