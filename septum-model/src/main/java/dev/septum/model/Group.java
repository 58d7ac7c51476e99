package dev.septum.model;

import inet.ipaddr.Address;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named set of endpoints: IPv4/IPv6 prefixes and hosts (hosts are stored as /32 or /128).
 * Categories are key=value labels the Policy Builder aggregates by. A dynamic group also has a
 * {@link GroupSource}; its members here are only the written ones until a build resolves it.
 *
 * <p>Members are a set: they are kept in address order without duplicates, the order EOS lists a
 * field-set's prefixes in, however they were written.
 */
public record Group(String name, List<IPAddress> members, Map<String, String> categories, SourceLocation at,
                    Optional<GroupSource> source, Optional<AutoApply> autoApply) implements PolicyObject {
    /**
     * Not {@code IPAddress.compareTo}: that orders by address count first, putting /8s after /32s.
     * Two IPv4 members compare as unsigned ints (their lowest address), without the lowest address
     * made as a new object for every comparison; sorting took 6 % of a 10,000-rule compile that way.
     * IPv4 first, then the lowest address, then the prefix length (none first). One method, not a
     * {@code Comparator.comparing} chain: the chain's lambdas are made on every start, which the AOT
     * cache cannot keep (3-4 ms of a seed-lab compile, bench/RESULTS.md, su6).
     */
    private static final Comparator<IPAddress> ADDRESS_ORDER = Group::compareMembers;
    private static final Comparator<Integer> NO_PREFIX_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

    public Group {
        members = members.size() < 2 ? List.copyOf(members) : distinctInOrder(members);
        categories = Map.copyOf(categories);
    }

    public Group(String name, List<IPAddress> members, Map<String, String> categories, SourceLocation at) {
        this(name, members, categories, at, Optional.empty(), Optional.empty());
    }

    /** Without a stream per group: a 10,000-rule compile makes 2,000 groups, mostly before the JIT has compiled streams. */
    private static List<IPAddress> distinctInOrder(List<IPAddress> members) {
        List<IPAddress> distinct = new ArrayList<>(new LinkedHashSet<>(members));
        distinct.sort(ADDRESS_ORDER);
        return List.copyOf(distinct);
    }

    private static int compareMembers(IPAddress a, IPAddress b) {
        int family = IpFamily.of(a).compareTo(IpFamily.of(b));
        if (family != 0) {
            return family;
        }
        int lowest = compareLowest(a, b);
        return lowest != 0 ? lowest : NO_PREFIX_FIRST.compare(a.getNetworkPrefixLength(), b.getNetworkPrefixLength());
    }

    private static int compareLowest(IPAddress a, IPAddress b) {
        if (a.isIPv4() && b.isIPv4()) {
            return Integer.compareUnsigned(a.toIPv4().intValue(), b.toIPv4().intValue());
        }
        return Address.ADDRESS_LOW_VALUE_COMPARATOR.compare(a.getLower().withoutPrefixLength(),
                b.getLower().withoutPrefixLength());
    }

    public boolean dynamic() {
        return source.isPresent();
    }

    /** The same group with the members a resolution found. */
    public Group withMembers(List<IPAddress> resolved) {
        return new Group(name, resolved, categories, at, source, autoApply);
    }

    /**
     * Constant time: members are ordered IPv4 first (see {@link #ADDRESS_ORDER}), so a family is
     * present when it holds the first or the last member. Planning and validation ask this for every
     * reference to a group.
     */
    public boolean hasFamily(IpFamily family) {
        return !members.isEmpty() && (family.contains(members.getFirst()) || family.contains(members.getLast()));
    }

    /** One family's members, in order: a view of the run of the list that family occupies. */
    public List<IPAddress> members(IpFamily family) {
        int firstIpv6 = firstIpv6();
        return family == IpFamily.IPV4 ? members.subList(0, firstIpv6) : members.subList(firstIpv6, members.size());
    }

    private int firstIpv6() {
        int low = 0;
        int high = members.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (members.get(mid).isIPv4()) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
