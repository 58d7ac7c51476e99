package dev.septum.builder.recommend;

import dev.septum.builder.tag.PrefixMembership;
import dev.septum.flows.IpAddr;
import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The endpoints as the proposal can name them. Groups carrying a chosen category are the units the
 * user aggregates by; an address inside such groups belongs to the <em>cell</em> of exactly those
 * groups (every expressible rule holds all of a cell or none of it, so nothing is lost by working
 * on cells). An address in no such group is a cell of its own, kept exact (/32, /128).
 *
 * <p>Each cell has its ancestors, from fine to coarse: the cell itself, each chosen group holding
 * it, and the union of the groups sharing one chosen category value (or all of them), never one
 * that spans two values of a boundary category. Weights are address counts, so a rule's
 * over-permission is in address pairs × ports.
 */
final class Estate {
    /** Ancestors kept per cell, the cell itself included: bounds the candidates at 6 × 6 × 2 per edge. */
    static final int MAX_ANCESTORS = 6;

    /** A set of addresses the proposal can name, as an existing group or a new one. */
    record Descriptor(String key, Optional<String> existingGroup, String newName, List<IPAddress> prefixes,
                      Map<String, String> categories, double addresses, boolean exactHost) {
        String name() {
            return existingGroup.orElse(newName);
        }
    }

    /** A cell: the chosen groups an address is in (empty for an exact address), its addresses. */
    record Cell(int id, List<String> groups, Optional<IpAddr> host, List<IPAddress> prefixes, double addresses) {
        String label() {
            return host.map(IpAddr::toString).orElse(String.join("&", groups));
        }
    }

    private final PolicyModel model;
    private final List<Group> chosen;
    /** The chosen groups' members, by position in {@link #chosen}. */
    private final PrefixMembership chosenMembers;
    private final List<String> boundary;
    private final List<Cell> cells = new ArrayList<>();
    private final Map<String, Integer> cellBySignature = new HashMap<>();
    private final Map<IpAddr, Integer> cellOfAddress = new HashMap<>();
    private final Map<String, Descriptor> descriptors = new LinkedHashMap<>();
    private final Map<Integer, List<Descriptor>> ancestors = new HashMap<>();
    private final Map<String, IPAddress> parsed = new HashMap<>();
    /** A group's members of one family as prefix blocks, by "family:group"; cells and ancestors ask for each many times. */
    private final Map<String, List<IPAddress>> groupBlocks = new HashMap<>();
    /** The category union of chosen groups for "family:values", empty when it crosses a boundary; shared by the cells under it. */
    private final Map<String, Optional<Descriptor>> unions = new HashMap<>();
    /** Each group's address set as a descriptor key, the first group in the model's order per key; made on first use. */
    private Map<String, String> groupByKey;

    Estate(PolicyModel model, Collection<String> categories, List<String> boundary) {
        this.model = model;
        this.chosen = model.groups().values().stream()
                .filter(g -> g.categories().keySet().stream().anyMatch(categories::contains)).toList();
        // as blocks, as the cells' prefixes read them (a validated member is one already)
        this.chosenMembers = PrefixMembership.of(chosen.stream().map(g -> g.members().stream().map(IPAddress::toPrefixBlock).toList()).toList());
        this.boundary = List.copyOf(boundary);
    }

    /** The cell of an address, made on first sight. */
    int cellOf(IpAddr address) {
        Integer known = cellOfAddress.get(address);
        if (known != null) {
            return known;
        }
        IPAddress a = parsed.computeIfAbsent(address.toString(), s -> new IPAddressString(s).getAddress());
        List<String> signature = chosenMembers.holding(address).stream().mapToObj(i -> chosen.get(i).name()).sorted().toList();
        int id;
        if (signature.isEmpty()) {
            id = cells.size();
            cells.add(new Cell(id, List.of(), Optional.of(address), blocks(List.of(a)), 1));
        } else {
            String key = (a.isIPv4() ? "4:" : "6:") + String.join(",", signature);
            Integer existing = cellBySignature.get(key);
            if (existing == null) {
                existing = cells.size();
                List<IPAddress> prefixes = cellPrefixes(signature, a.isIPv4());
                cells.add(new Cell(existing, signature, Optional.empty(), prefixes, count(prefixes)));
                cellBySignature.put(key, existing);
            }
            id = existing;
        }
        cellOfAddress.put(address, id);
        return id;
    }

    Cell cell(int id) {
        return cells.get(id);
    }

    int cellCount() {
        return cells.size();
    }

    /** Addresses in every group of the signature and in no other chosen group. */
    private List<IPAddress> cellPrefixes(List<String> signature, boolean v4) {
        List<IPAddress> inside = null;
        for (String name : signature) {
            List<IPAddress> members = family(model.groups().get(name).members(), v4);
            if (inside == null) {
                inside = members;
            } else {
                List<IPAddress> next = new ArrayList<>();
                for (IPAddress x : inside) {
                    for (IPAddress m : members) {
                        Optional.ofNullable(x.intersect(m)).ifPresent(next::add);
                    }
                }
                inside = next;
            }
        }
        List<IPAddress> rest = inside == null ? List.of() : inside;
        // only groups sharing an address with the cell's can take some of it away
        BitSet near = chosenMembers.overlapping(rest);
        for (int i = near.nextSetBit(0); i >= 0; i = near.nextSetBit(i + 1)) {
            Group g = chosen.get(i);
            if (signature.contains(g.name())) {
                continue;
            }
            for (IPAddress m : family(g.members(), v4)) {
                List<IPAddress> next = new ArrayList<>();
                for (IPAddress x : rest) {
                    IPAddress[] remaining = x.subtract(m);
                    if (remaining != null) {
                        next.addAll(List.of(remaining));
                    }
                }
                rest = next;
            }
        }
        return blocks(rest);
    }

    private static List<IPAddress> family(List<IPAddress> members, boolean v4) {
        return members.stream().filter(m -> m.isIPv4() == v4).map(IPAddress::toPrefixBlock).toList();
    }

    /** The same addresses as few prefix blocks, in address order. */
    private static List<IPAddress> blocks(List<IPAddress> parts) {
        if (parts.isEmpty()) {
            return List.of();
        }
        List<IPAddress> out = new ArrayList<>();
        for (IPAddress p : parts) {
            out.addAll(List.of(p.spanWithPrefixBlocks()));
        }
        IPAddress first = out.getFirst();
        return List.of(first.mergeToPrefixBlocks(out.subList(1, out.size()).toArray(IPAddress[]::new)));
    }

    private static String key(List<IPAddress> prefixes) {
        return String.join(" ", prefixes.stream().map(IPAddress::toCanonicalString).toList());
    }

    static double count(List<IPAddress> prefixes) {
        return prefixes.stream().mapToDouble(p -> p.getCount().doubleValue()).sum();
    }

    /** The cell's ancestors, finest first: the cell, its chosen groups, its category unions. */
    List<Descriptor> ancestors(int cellId) {
        return ancestors.computeIfAbsent(cellId, this::computeAncestors);
    }

    private List<Descriptor> computeAncestors(int cellId) {
        Cell c = cells.get(cellId);
        List<Descriptor> out = new ArrayList<>();
        if (c.host().isPresent()) {
            out.add(descriptor(c.prefixes(), Map.of(), "host-" + c.host().get().toString().replace(':', '-'), true));
            return out;
        }
        out.add(descriptor(c.prefixes(), categoriesOf(c.groups()), String.join("-and-", c.groups()) + "-only", false));
        boolean v4 = c.prefixes().getFirst().isIPv4();
        for (String name : c.groups()) {
            Group g = model.groups().get(name);
            out.add(descriptor(blocksOf(g, v4), g.categories(), name, false));
        }
        Map<String, String> shared = categoriesOf(c.groups());
        List<Map<String, String>> lifts = new ArrayList<>();
        shared.forEach((k, v) -> lifts.add(Map.of(k, v)));
        if (shared.size() > 1) {
            lifts.add(shared);
        }
        for (Map<String, String> values : lifts) {
            union(values, v4).ifPresent(out::add);
        }
        return out.stream().distinct().sorted(java.util.Comparator.comparingDouble(Descriptor::addresses))
                .limit(MAX_ANCESTORS).toList();
    }

    private List<IPAddress> blocksOf(Group g, boolean v4) {
        return groupBlocks.computeIfAbsent((v4 ? "4:" : "6:") + g.name(), k -> blocks(family(g.members(), v4)));
    }

    /** The chosen groups carrying all these category values, as one descriptor; empty when they span a boundary. */
    private Optional<Descriptor> union(Map<String, String> values, boolean v4) {
        String key = (v4 ? "4:" : "6:") + new TreeMap<>(values);
        Optional<Descriptor> known = unions.get(key);
        if (known == null) {
            List<Group> union = chosen.stream().filter(g -> g.categories().entrySet().containsAll(values.entrySet())).toList();
            known = crossesBoundary(union) ? Optional.empty()
                    : Optional.of(descriptor(blocks(union.stream().flatMap(g -> blocksOf(g, v4).stream()).toList()), values,
                    categoryName(values), false));
            unions.put(key, known);
        }
        return known;
    }

    /** The chosen-category values the cell's groups agree on (a key they disagree on is left out). */
    private Map<String, String> categoriesOf(List<String> groups) {
        Map<String, String> values = new TreeMap<>();
        Set<String> conflicting = new TreeSet<>();
        for (String name : groups) {
            model.groups().get(name).categories().forEach((k, v) -> {
                String had = values.putIfAbsent(k, v);
                if (had != null && !had.equals(v)) {
                    conflicting.add(k);
                }
            });
        }
        conflicting.forEach(values::remove);
        values.keySet().retainAll(chosen.stream().flatMap(g -> g.categories().keySet().stream()).toList());
        return values;
    }

    /** Two values of a boundary category (a group without the category counts as a value of its own). */
    private boolean crossesBoundary(List<Group> groups) {
        return boundary.stream().anyMatch(k -> groups.stream().map(g -> g.categories().getOrDefault(k, "")).distinct().count() > 1);
    }

    private static String categoryName(Map<String, String> values) {
        return String.join("_", new TreeMap<>(values).entrySet().stream().map(e -> e.getKey() + "-" + e.getValue()).toList());
    }

    /** One descriptor per address set: an existing group with exactly these addresses is used by name. */
    private Descriptor descriptor(List<IPAddress> prefixes, Map<String, String> categories, String newName, boolean host) {
        String key = key(prefixes);
        Descriptor known = descriptors.get(key);
        if (known != null) {
            return known;
        }
        if (groupByKey == null) {
            groupByKey = new HashMap<>();
            model.groups().values().forEach(g ->
                    groupByKey.putIfAbsent(key(blocks(g.members().stream().map(IPAddress::toPrefixBlock).toList())), g.name()));
        }
        Optional<String> existing = Optional.ofNullable(groupByKey.get(key));
        Descriptor d = new Descriptor(key, existing, newName, prefixes, Map.copyOf(categories), count(prefixes), host);
        descriptors.put(key, d);
        return d;
    }

    /** True when every address of the cell is inside the descriptor. */
    boolean holds(Descriptor d, int cellId) {
        Cell c = cells.get(cellId);
        return c.prefixes().stream().allMatch(p -> d.prefixes().stream().anyMatch(q -> q.contains(p)));
    }
}
