package dev.septum.compile.plan;

import dev.septum.model.DerivedNames;
import dev.septum.model.Group;
import dev.septum.model.IpFamily;
import dev.septum.model.PolicyModel;
import dev.septum.model.Service;
import dev.septum.model.ServiceEntry;
import java.util.List;
import java.util.Map;
import java.util.HashMap;

/**
 * Names the field-sets a domain's matches use and remembers each once, so two rules naming the
 * same group share one field-set. Output is sorted by name, as EOS lists them.
 */
final class FieldSetRegistry {
    private final PolicyModel model;
    /** Hash maps, sorted once when listed: every reference of every rule asks for its set by name. */
    private final Map<String, PrefixFieldSet> prefixSets = new HashMap<>();
    private final Map<String, ServiceFieldSet> serviceSets = new HashMap<>();

    FieldSetRegistry(PolicyModel model) {
        this.model = model;
    }

    /**
     * The group's field-set in this family. A group holding both families needs two sets; the
     * IPv6 one is then named {@code <group>-ipv6} because EOS field-set names share one namespace.
     */
    String prefixSet(String groupName, IpFamily family) {
        Group group = model.groups().get(groupName);
        String name = DerivedNames.prefixSet(group, family);
        if (!prefixSets.containsKey(name)) {
            prefixSets.put(name, new PrefixFieldSet(name, family, groupName, group.members(family)));
        }
        return name;
    }

    String serviceSet(String serviceName, boolean reverse) {
        Service service = model.services().get(serviceName);
        String name = DerivedNames.serviceSet(serviceName, reverse);
        if (!serviceSets.containsKey(name)) {
            serviceSets.put(name, new ServiceFieldSet(name, serviceName, reverse,
                    reverse ? service.entries().stream().map(ServiceEntry::reversed).toList() : service.entries()));
        }
        return name;
    }

    List<PrefixFieldSet> prefixSets() {
        return prefixSets.values().stream()
                .sorted((a, b) -> a.family() != b.family() ? a.family().compareTo(b.family()) : a.name().compareTo(b.name()))
                .toList();
    }

    /**
     * Sorted by a lambda of this class, not {@code Comparator.comparing}: the lambdas inside the
     * JDK's Comparator are made anew on every start, where the AOT cache keeps this class's own
     * (bench/RESULTS.md, su6).
     */
    List<ServiceFieldSet> serviceSets() {
        return serviceSets.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }
}
