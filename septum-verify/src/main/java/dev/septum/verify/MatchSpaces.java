package dev.septum.verify;

import com.github.javabdd.BDD;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.model.PortItem;
import dev.septum.model.PortSpec;
import dev.septum.model.ServiceEntry;
import inet.ipaddr.IPAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The exact set of packets each match of one address family accepts, field-sets built once. */
public final class MatchSpaces {
    private final HeaderSpace space;
    private final PlanIndex index;
    private final Map<String, BDD> sources = new HashMap<>();
    private final Map<String, BDD> destinations = new HashMap<>();
    private final Map<String, BDD> services = new HashMap<>();
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

    /** Empty field-set lists mean any; several sets on one line are a union. */
    public BDD of(MatchEntry m) {
        if (m.family() != space.family()) {
            return space.none();
        }
        return union(m.sourceSets(), sources, name -> prefixes(name, space::sourcePrefix))
                .andWith(union(m.destinationSets(), destinations, name -> prefixes(name, space::destinationPrefix)))
                .andWith(union(m.serviceSets(), services, this::service));
    }

    /**
     * Whether two matches of this family can share a packet. A match's packets are a product of its
     * sources, destinations and services, so two meet only when all three sides do; asked for
     * pairs of field-sets (remembered), this spares building the conjunction of two whole matches.
     */
    public boolean mayMeet(MatchEntry a, MatchEntry b) {
        return sidesMeet(a.sourceSets(), b.sourceSets(), sources, sourcesMeet, name -> prefixes(name, space::sourcePrefix))
                && sidesMeet(a.destinationSets(), b.destinationSets(), destinations, destinationsMeet,
                        name -> prefixes(name, space::destinationPrefix))
                && sidesMeet(a.serviceSets(), b.serviceSets(), services, servicesMeet, this::service);
    }

    private static boolean sidesMeet(List<String> a, List<String> b, Map<String, BDD> cache,
                                     Map<String, Map<String, Boolean>> meet, Function<String, BDD> build) {
        if (a.isEmpty() || b.isEmpty()) {
            return true;
        }
        for (String x : a) {
            for (String y : b) {
                if (x.equals(y) || meet.computeIfAbsent(x, k -> new HashMap<>()).computeIfAbsent(y, k -> {
                    BDD both = cache.computeIfAbsent(x, build).and(cache.computeIfAbsent(y, build));
                    boolean some = !both.isZero();
                    both.free();
                    return some;
                })) {
                    return true;
                }
            }
        }
        return false;
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
