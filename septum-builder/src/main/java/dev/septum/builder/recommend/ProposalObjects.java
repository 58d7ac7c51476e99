package dev.septum.builder.recommend;

import dev.septum.model.Action;
import dev.septum.model.DecapType;
import dev.septum.model.Direction;
import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import dev.septum.model.PortItem;
import dev.septum.model.PortSpec;
import dev.septum.model.Protocol;
import dev.septum.model.Ref;
import dev.septum.model.Rule;
import dev.septum.model.Service;
import dev.septum.model.ServiceEntry;
import dev.septum.model.SourceLocation;
import dev.septum.model.validate.NameRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The drafts as model objects: the groups and services they need (existing ones by name when one
 * holds exactly the same addresses or ports; new ones named from their categories, groups or
 * ports) and one bidirectional forward rule per draft, named from its groups and service.
 */
final class ProposalObjects {
    static final SourceLocation AT = SourceLocation.of("septum recommend");

    private final PolicyModel model;
    private final Set<String> taken = new HashSet<>();
    private final Map<String, String> groupNames = new LinkedHashMap<>();
    private final Map<String, Group> newGroups = new LinkedHashMap<>();
    private final Map<String, String> serviceNames = new LinkedHashMap<>();
    private final Map<String, Service> newServices = new LinkedHashMap<>();

    ProposalObjects(PolicyModel model) {
        this.model = model;
        taken.addAll(model.groups().keySet());
        taken.addAll(model.services().keySet());
        model.policies().values().forEach(p -> {
            taken.add(p.name());
            p.rules().forEach(r -> taken.add(r.name()));
        });
    }

    /** The name a descriptor goes by: its existing group, or a new group made for it. */
    String group(Estate.Descriptor d) {
        if (d.existingGroup().isPresent()) {
            return d.existingGroup().get();
        }
        return groupNames.computeIfAbsent(d.key(), k -> {
            String name = unique(d.newName());
            newGroups.put(name, new Group(name, d.prefixes(), d.categories(), AT));
            return name;
        });
    }

    /** The service of a draft's items: an existing one with exactly these entries, or a new one. */
    String service(List<Compaction.Item> items) {
        Map<Integer, List<Compaction.Item>> byProtocol = new TreeMap<>();
        items.forEach(i -> byProtocol.computeIfAbsent(i.protocol(), p -> new ArrayList<>()).add(i));
        List<ServiceEntry> entries = new ArrayList<>();
        byProtocol.forEach((protocol, list) -> {
            Protocol p = new Protocol(protocol);
            PortSpec destination = p.hasPorts()
                    ? new PortSpec(list.stream().<PortItem>map(i -> i.low() == i.high() ? new PortItem.Number(i.low())
                            : new PortItem.Range(i.low(), i.high())).toList())
                    : PortSpec.ALL;
            entries.add(new ServiceEntry(p, PortSpec.ALL, destination));
        });
        String signature = signature(entries);
        Optional<String> existing = model.services().values().stream().filter(s -> signature(s.entries()).equals(signature))
                .map(Service::name).findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        return serviceNames.computeIfAbsent(signature, k -> {
            String name = unique(serviceName(byProtocol));
            newServices.put(name, new Service(name, entries, AT));
            return name;
        });
    }

    /** Protocol, source ports and every destination port, so equal port sets compare equal however written. */
    private static String signature(List<ServiceEntry> entries) {
        List<String> parts = new ArrayList<>();
        for (ServiceEntry e : entries) {
            if (e.icmp().isPresent() || !e.sourcePorts().isAll()) {
                return "unusable:" + System.identityHashCode(e);
            }
            parts.add(e.protocol().number() + ":" + (e.destinationPorts().isAll() ? "all"
                    : String.join(",", e.destinationPorts().items().stream().map(i -> i.low() + "-" + i.high()).sorted().toList())));
        }
        return String.join(" ", parts.stream().sorted().toList());
    }

    private static String serviceName(Map<Integer, List<Compaction.Item>> byProtocol) {
        List<String> parts = new ArrayList<>();
        byProtocol.forEach((protocol, items) -> {
            Protocol p = new Protocol(protocol);
            parts.add(p.hasPorts() ? p.keyword() + "-" + String.join("_", items.stream()
                    .map(i -> i.low() == i.high() ? Integer.toString(i.low()) : i.low() + "-" + i.high()).toList()) : p.keyword());
        });
        String name = String.join("_", parts);
        return name.length() <= 48 ? name : name.substring(0, 40) + "-etc";
    }

    /** A readable rule name from its groups and service. */
    Rule rule(List<String> sources, List<String> destinations, String service, String description) {
        String name = unique(side(sources) + "-to-" + side(destinations) + "-" + service);
        return new Rule(name, description, refs(sources), refs(destinations), refs(List.of(service)), Direction.BI,
                DecapType.ALLOW_ALL, new Action.Forward(), Optional.empty(), true, AT);
    }

    private static String side(List<String> names) {
        String first = names.getFirst();
        return names.size() == 1 ? first : first + "-etc";
    }

    private static List<Ref> refs(List<String> names) {
        return names.stream().map(n -> new Ref(n, AT)).toList();
    }

    /** A valid name not used by any object yet: unusable characters become '_', long names are cut. */
    String unique(String wanted) {
        String base = wanted.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0))) {
            base = "r" + base;
        }
        if (base.length() > NameRules.MAX_NAME - 4) {
            base = base.substring(0, NameRules.MAX_NAME - 4);
        }
        String name = base;
        for (int n = 2; taken.contains(name); n++) {
            name = base + "-" + n;
        }
        taken.add(name);
        return name;
    }

    List<Group> newGroups() {
        return List.copyOf(newGroups.values());
    }

    List<Service> newServices() {
        return List.copyOf(newServices.values());
    }
}
