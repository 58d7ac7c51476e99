package dev.septum.compile.nftables;

import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.PrefixFieldSet;
import dev.septum.compile.plan.ServiceFieldSet;
import dev.septum.model.IpFamily;
import dev.septum.model.PortItem;
import dev.septum.model.PortSpec;
import dev.septum.model.ServiceEntry;
import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Cuts an ordered run of port-carrying matches of one address family into disjoint boxes over
 * (source address, destination address, protocol, source port, destination port), each owned by
 * the first match that covers it: the same first-match answer as the chain, as elements of an
 * interval map that the kernel looks up once per packet.
 *
 * <p>Each match is a union of boxes (its source prefixes x destination prefixes x service lines).
 * The cut goes one field at a time: along the field, the boundaries of the boxes still in play
 * split the line into pieces; a piece keeps the boxes covering it, in match order, up to the first
 * box that covers the rest of the fields whole (everything after it is shadowed there); neighbouring
 * pieces keeping the same boxes merge. So a box that owns its corner alone (the usual case: rules
 * on different hosts or ports) becomes one element, and only real overlap multiplies elements.
 *
 * <p>Overlap can multiply without bound (n rules on sources x m rules on destinations give n x m
 * pieces), so the cut stops at {@link #maxElements} elements or {@link #maxWork} box visits and
 * answers empty: the caller renders the run as a linear chain, which is always correct.
 */
final class FirstMatchRegions {
    /** Fields of a box, in cut order. */
    static final int SOURCE = 0, DESTINATION = 1, PROTOCOL = 2, SOURCE_PORT = 3, DESTINATION_PORT = 4, FIELDS = 5;

    /** An inclusive range of one field. */
    record Interval(BigInteger low, BigInteger high) {
        boolean contains(Interval other) {
            return low.compareTo(other.low) <= 0 && high.compareTo(other.high) >= 0;
        }
    }

    private static final Interval ALL_PORTS = new Interval(BigInteger.ZERO, BigInteger.valueOf(65_535));

    /** One element of the map: a box and the match whose verdict and counter it takes. */
    record Region(List<Interval> fields, MatchEntry owner) {
    }

    /** One box of one match; boxes are numbered in match order, so a lower {@code seq} wins. */
    private record Box(int seq, MatchEntry match, Interval[] fields) {
    }

    private final Interval[] whole;
    private final long maxElements;
    private final long maxWork;
    private long work;

    private FirstMatchRegions(IpFamily family, long maxElements, long maxWork) {
        BigInteger addresses = BigInteger.ONE.shiftLeft(family.bits()).subtract(BigInteger.ONE);
        this.whole = new Interval[] {range(0, addresses), range(0, addresses), range(0, BigInteger.valueOf(255)),
            ALL_PORTS, ALL_PORTS};
        this.maxElements = maxElements;
        this.maxWork = maxWork;
    }

    /** Whether some region restricts the source port; if none does, a map's key can leave it out. */
    static boolean restrictSourcePorts(List<Region> regions) {
        return regions.stream().map(r -> r.fields().get(SOURCE_PORT))
                .anyMatch(p -> !p.equals(ALL_PORTS));
    }

    /** Whether a match can live in a region map: every service line it names carries ports (TCP, UDP, SCTP). */
    static boolean portCarrying(MatchEntry m, Map<String, ServiceFieldSet> services) {
        return !m.serviceSets().isEmpty() && m.serviceSets().stream()
                .flatMap(s -> services.get(s).entries().stream())
                .allMatch(e -> e.protocol().hasPorts() && e.icmp().isEmpty());
    }

    /**
     * The regions of one family's matches of a run (all port-carrying, in order), or empty when
     * the cut would exceed its bounds. Elements grow with overlap, so the bound is relative to the run.
     */
    static Optional<List<Region>> of(List<MatchEntry> run, IpFamily family, Map<String, PrefixFieldSet> prefixes,
                                     Map<String, ServiceFieldSet> services) {
        FirstMatchRegions cut = new FirstMatchRegions(family, 16L * run.size() + 1024, 400L * run.size() + 2_000_000);
        List<Box> boxes = cut.boxes(run, prefixes, services);
        if (boxes.size() > cut.maxElements) {
            return Optional.empty();
        }
        if (boxes.isEmpty()) {
            return Optional.of(List.of());
        }
        return Optional.ofNullable(cut.split(0, boxes))
                .map(regions -> regions.stream().map(r -> new Region(List.of(r.fields()), r.owner())).toList());
    }

    private List<Box> boxes(List<MatchEntry> run, Map<String, PrefixFieldSet> prefixes, Map<String, ServiceFieldSet> services) {
        List<Box> boxes = new ArrayList<>();
        for (MatchEntry m : run) {
            List<Interval> sources = addresses(m.sourceSets(), prefixes, whole[SOURCE]);
            List<Interval> destinations = addresses(m.destinationSets(), prefixes, whole[DESTINATION]);
            List<Interval[]> lines = new ArrayList<>();
            for (String s : m.serviceSets()) {
                for (ServiceEntry e : services.get(s).entries()) {
                    Interval protocol = range(e.protocol().number(), BigInteger.valueOf(e.protocol().number()));
                    for (Interval sport : ports(e.sourcePorts())) {
                        for (Interval dport : ports(e.destinationPorts())) {
                            lines.add(new Interval[] {protocol, sport, dport});
                        }
                    }
                }
            }
            for (Interval src : sources) {
                for (Interval dst : destinations) {
                    for (Interval[] line : lines) {
                        boxes.add(new Box(boxes.size(), m, new Interval[] {src, dst, line[0], line[1], line[2]}));
                    }
                }
            }
        }
        return boxes;
    }

    private static List<Interval> addresses(List<String> sets, Map<String, PrefixFieldSet> prefixes, Interval any) {
        if (sets.isEmpty()) {
            return List.of(any);
        }
        return sets.stream().flatMap(s -> prefixes.get(s).prefixes().stream()).map(IPAddress::toPrefixBlock)
                .map(p -> new Interval(p.getValue(), p.getUpperValue())).distinct().toList();
    }

    private List<Interval> ports(PortSpec spec) {
        if (spec.isAll()) {
            return List.of(whole[SOURCE_PORT]);
        }
        return spec.items().stream().map(FirstMatchRegions::port).toList();
    }

    private static Interval port(PortItem item) {
        return switch (item) {
            case PortItem.Number n -> range(n.low(), BigInteger.valueOf(n.high()));
            case PortItem.Range r -> range(r.low(), BigInteger.valueOf(r.high()));
            case PortItem.Named n -> range(n.low(), BigInteger.valueOf(n.high()));
        };
    }

    private static Interval range(long low, BigInteger high) {
        return new Interval(BigInteger.valueOf(low), high);
    }

    /**
     * The regions of {@code boxes} (in order) over the fields from {@code field} on (earlier fields
     * of the arrays unset), or null when the bounds were hit. Neighbouring pieces whose regions
     * come out the same merge, so a box split by a shadowed neighbour stays one element.
     */
    private List<Partial> split(int field, List<Box> boxes) {
        Box first = boxes.getFirst();
        if (wholeFrom(first, field)) {
            Interval[] region = new Interval[FIELDS];
            System.arraycopy(whole, field, region, field, FIELDS - field);
            return List.of(new Partial(region, first.match()));
        }
        TreeSet<BigInteger> cuts = new TreeSet<>();
        for (Box b : boxes) {
            cuts.add(b.fields()[field].low());
            cuts.add(b.fields()[field].high().add(BigInteger.ONE));
        }
        List<Box> byLow = new ArrayList<>(boxes);
        byLow.sort(Comparator.comparing(b -> b.fields()[field].low()));
        TreeSet<Box> active = new TreeSet<>(Comparator.comparingInt(Box::seq));
        BigInteger[] points = cuts.toArray(BigInteger[]::new);
        List<Piece> pieces = new ArrayList<>();
        int next = 0;
        List<Box> previous = List.of();
        for (int i = 0; i + 1 < points.length; i++) {
            while (next < byLow.size() && byLow.get(next).fields()[field].low().equals(points[i])) {
                active.add(byLow.get(next++));
            }
            BigInteger at = points[i];
            active.removeIf(b -> b.fields()[field].high().compareTo(at) < 0);
            work += active.size();
            if (work > maxWork) {
                return null;
            }
            List<Box> kept = untilWholeFrom(active, field + 1);
            Piece last = pieces.isEmpty() ? null : pieces.getLast();
            if (last != null && kept.equals(previous)) {
                last.high = points[i + 1].subtract(BigInteger.ONE);
                continue;
            }
            previous = kept;
            List<Partial> inner = kept.isEmpty() ? List.of() : split(field + 1, kept);
            if (inner == null) {
                return null;
            }
            if (last != null && sameFrom(field + 1, last.inner, inner)) {
                last.high = points[i + 1].subtract(BigInteger.ONE);
            } else {
                pieces.add(new Piece(at, points[i + 1].subtract(BigInteger.ONE), inner));
            }
        }
        List<Partial> out = new ArrayList<>();
        for (Piece piece : pieces) {
            for (Partial p : piece.inner) {
                Interval[] fields = p.fields().clone();
                fields[field] = new Interval(piece.low, piece.high);
                out.add(new Partial(fields, p.owner()));
            }
            if (out.size() > maxElements) {
                return null;
            }
        }
        return out;
    }

    /** Regions inside a cell, their fields set from the cell's field on. */
    private record Partial(Interval[] fields, MatchEntry owner) {
    }

    /** A stretch of one field and the regions inside it; the stretch grows while its neighbours come out the same. */
    private static final class Piece {
        final BigInteger low;
        BigInteger high;
        final List<Partial> inner;

        Piece(BigInteger low, BigInteger high, List<Partial> inner) {
            this.low = low;
            this.high = high;
            this.inner = inner;
        }
    }

    private static boolean sameFrom(int field, List<Partial> a, List<Partial> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).owner() != b.get(i).owner()
                    || !Arrays.equals(a.get(i).fields(), field, FIELDS, b.get(i).fields(), field, FIELDS)) {
                return false;
            }
        }
        return true;
    }

    /** The boxes in order up to and including the first that covers every field from {@code field} on. */
    private List<Box> untilWholeFrom(Iterable<Box> boxes, int field) {
        List<Box> kept = new ArrayList<>();
        for (Box b : boxes) {
            kept.add(b);
            if (wholeFrom(b, field)) {
                break;
            }
        }
        return kept;
    }

    private boolean wholeFrom(Box b, int field) {
        for (int f = field; f < FIELDS; f++) {
            if (!b.fields()[f].contains(whole[f])) {
                return false;
            }
        }
        return true;
    }
}
