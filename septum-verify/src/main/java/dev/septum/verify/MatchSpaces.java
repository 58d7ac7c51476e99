package dev.septum.verify;

import com.github.javabdd.BDD;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.model.PortItem;
import dev.septum.model.PortSpec;
import dev.septum.model.ServiceEntry;
import dev.septum.verify.Conjunction.Diagram;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

/** The exact set of packets each match of one address family accepts, field-sets built once. */
public final class MatchSpaces {
    private final HeaderSpace space;
    private final PlanIndex index;
    private final Map<String, BDD> sources = new HashMap<>();
    private final Map<String, BDD> destinations = new HashMap<>();
    private final Map<String, BDD> services = new HashMap<>();
    private final Map<List<String>, Diagram> sourceSides = new HashMap<>();
    private final Map<List<String>, Diagram> destinationSides = new HashMap<>();
    private final Map<List<String>, Diagram> serviceSides = new HashMap<>();
    private final Map<String, List<FixedBits>> fixedBits = new HashMap<>();
    private final Map<String, Map<String, Boolean>> sourcesMeet = new HashMap<>();
    private final Map<String, Map<String, Boolean>> destinationsMeet = new HashMap<>();
    private final Map<String, Map<String, Boolean>> servicesMeet = new HashMap<>();

    public MatchSpaces(HeaderSpace space, PlanIndex index) {
        this.space = space;
        this.index = index;
    }

    public HeaderSpace space() {
        return space;
    }

    /**
     * Empty field-set lists mean any; several sets on one line are a union. Joined bottom up in
     * the variable order (services, then sources, then destinations on top), so each conjunction
     * copies only the side above it.
     */
    public BDD of(MatchEntry m) {
        if (m.family() != space.family()) {
            return space.none();
        }
        BDD below = union(m.sourceSets(), sources, name -> prefixes(name, space::sourcePrefix))
                .andWith(union(m.serviceSets(), services, this::service));
        return union(m.destinationSets(), destinations, name -> prefixes(name, space::destinationPrefix)).andWith(below);
    }

    /**
     * The match's packets as its three sides, copied out of the factory (once per list of
     * field-sets): their conjunction is {@link #of}, and its example packets are walked on them
     * without building it. A side that is any packet is left out.
     */
    List<Diagram> sides(MatchEntry m) {
        if (m.family() != space.family()) {
            BDD none = space.none();
            Diagram empty = Diagram.of(none);
            none.free();
            return List.of(empty);
        }
        List<Diagram> sides = new ArrayList<>(3);
        side(m.destinationSets(), destinationSides, destinations, name -> prefixes(name, space::destinationPrefix), sides);
        side(m.sourceSets(), sourceSides, sources, name -> prefixes(name, space::sourcePrefix), sides);
        side(m.serviceSets(), serviceSides, services, this::service, sides);
        return sides;
    }

    private void side(List<String> names, Map<List<String>, Diagram> copies, Map<String, BDD> cache,
                      Function<String, BDD> build, List<Diagram> sides) {
        if (!names.isEmpty()) {
            sides.add(copies.computeIfAbsent(names, n -> {
                BDD union = union(n, cache, build);
                Diagram copy = Diagram.of(union);
                union.free();
                return copy;
            }));
        }
    }

    /** Whether match m covers no packet: its packets are the product of its sides, empty when one is. */
    boolean isEmpty(MatchEntry m) {
        return sides(m).stream().anyMatch(Diagram::isEmpty);
    }

    /**
     * Whether two matches of this family can share a packet. A match's packets are a product of its
     * sources, destinations and services, so two meet only when all three sides do; asked for
     * pairs of field-sets (remembered), this spares building the conjunction of two whole matches.
     */
    public boolean mayMeet(MatchEntry a, MatchEntry b) {
        return sidesMeet(a.sourceSets(), b.sourceSets(), sourcesMeet, this::prefixSetsMeet)
                && sidesMeet(a.destinationSets(), b.destinationSets(), destinationsMeet, this::prefixSetsMeet)
                && sidesMeet(a.serviceSets(), b.serviceSets(), servicesMeet, (x, y) -> {
                    BDD both = services.computeIfAbsent(x, this::service).and(services.computeIfAbsent(y, this::service));
                    boolean some = !both.isZero();
                    both.free();
                    return some;
                });
    }

    private static boolean sidesMeet(List<String> a, List<String> b, Map<String, Map<String, Boolean>> meet,
                                     BiPredicate<String, String> pairMeets) {
        if (a.isEmpty() || b.isEmpty()) {
            return true;
        }
        for (String x : a) {
            for (String y : b) {
                if (x.equals(y) || meet.computeIfAbsent(x, k -> new HashMap<>()).computeIfAbsent(y, k -> pairMeets.test(x, y))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Two prefix field-sets share an address when a prefix of one lies in or around a prefix of the
     * other: compared bit by bit, not by a conjunction (most pairs a large policy asks about are of sources).
     */
    private boolean prefixSetsMeet(String x, String y) {
        for (FixedBits p : fixedBits(x)) {
            for (FixedBits q : fixedBits(y)) {
                if (p.meets(q)) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<FixedBits> fixedBits(String setName) {
        return fixedBits.computeIfAbsent(setName, name -> familyPrefixes(name).stream().map(FixedBits::of).toList());
    }

    /** The leading bits a prefix fixes: the bits {@link HeaderSpace} constrains for it. */
    private record FixedBits(byte[] bytes, int length) {
        static FixedBits of(IPAddress prefix) {
            Integer length = prefix.getNetworkPrefixLength();
            return new FixedBits(prefix.getBytes(), length == null ? prefix.getBitCount() : length);
        }

        boolean meets(FixedBits other) {
            int bits = Math.min(length, other.length);
            for (int i = 0; i < bits; i++) {
                if ((bytes[i / 8] >> (7 - i % 8) & 1) != (other.bytes[i / 8] >> (7 - i % 8) & 1)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A fresh BDD the caller owns; the cached per-set BDDs stay. */
    private BDD union(List<String> names, Map<String, BDD> cache, Function<String, BDD> build) {
        if (names.isEmpty()) {
            return space.all();
        }
        BDD result = space.none();
        for (String name : names) {
            result.orWith(cache.computeIfAbsent(name, build).id());
        }
        return result;
    }

    /** The prefixes of this family in a prefix field-set (the others match no packet of it). */
    public List<IPAddress> familyPrefixes(String setName) {
        return index.prefixSet(setName).prefixes().stream().filter(space.family()::contains).toList();
    }

    private BDD prefixes(String setName, Function<IPAddress, BDD> prefix) {
        return prefixes(index.prefixSet(setName).prefixes(), prefix);
    }

    /** Packets whose address (chosen by {@code side}) lies in one of the prefixes of its family. */
    public BDD prefixes(List<IPAddress> prefixes, Function<IPAddress, BDD> side) {
        BDD result = space.none();
        for (IPAddress p : prefixes) {
            if (space.family().contains(p)) {
                result.orWith(side.apply(p));
            }
        }
        return result;
    }

    private BDD service(String setName) {
        return services(index.serviceSet(setName).entries());
    }

    /** Packets of any of the protocol/port/ICMP type entries. */
    public BDD services(List<ServiceEntry> entries) {
        BDD result = space.none();
        for (ServiceEntry e : entries) {
            BDD entry = space.protocol(e.protocol().number());
            if (e.protocol().hasPorts()) {
                entry.andWith(ports(e.sourcePorts(), space::sourcePorts))
                        .andWith(ports(e.destinationPorts(), space::destinationPorts));
            }
            e.icmp().ifPresent(icmp -> {
                entry.andWith(space.icmpType(icmp.type()));
                icmp.code().ifPresent(code -> entry.andWith(space.icmpCode(code)));
            });
            result.orWith(entry);
        }
        return result;
    }

    private BDD ports(PortSpec spec, PortRange range) {
        if (spec.isAll()) {
            return space.all();
        }
        BDD result = space.none();
        for (PortItem item : spec.items()) {
            result.orWith(range.of(item.low(), item.high()));
        }
        return result;
    }

    @FunctionalInterface
    private interface PortRange {
        BDD of(int low, int high);
    }
}
