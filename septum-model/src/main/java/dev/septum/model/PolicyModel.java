package dev.septum.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * The whole intent: every object by name, in the order it was written. Immutable; a change makes
 * a new model.
 */
public record PolicyModel(SequencedMap<String, SecurityDomain> domains,
                          SequencedMap<String, Device> devices,
                          SequencedMap<String, Group> groups,
                          SequencedMap<String, Service> services,
                          SequencedMap<String, RedirectObject> redirects,
                          SequencedMap<String, MonitorObject> monitors,
                          SequencedMap<String, Policy> policies) {

    public PolicyModel {
        domains = frozen(domains);
        devices = frozen(devices);
        groups = frozen(groups);
        services = frozen(services);
        redirects = frozen(redirects);
        monitors = frozen(monitors);
        policies = frozen(policies);
    }

    private static <V> SequencedMap<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableSequencedMap(new LinkedHashMap<>(map));
    }

    /** The domain a device belongs to, if any (validation ensures at most one). */
    public Optional<SecurityDomain> domainOf(Device device) {
        return domains.values().stream()
                .filter(d -> d.devices().stream().anyMatch(r -> r.name().equals(device.name())))
                .findFirst();
    }

    /**
     * The address families a rule side covers: every family for {@code any} (no groups), else the
     * families of the named groups' members. Unknown group names are ignored (validation reports them).
     */
    public Set<IpFamily> families(List<Ref> sideGroups) {
        if (sideGroups.isEmpty()) {
            return EnumSet.allOf(IpFamily.class);
        }
        Set<IpFamily> families = EnumSet.noneOf(IpFamily.class);
        for (Ref ref : sideGroups) {
            Group group = groups.get(ref.name());
            for (IpFamily family : IpFamily.values()) {
                if (group != null && group.hasFamily(family)) {
                    families.add(family);
                }
            }
        }
        return families;
    }

    /** The families a rule renders matches for: those both its sides cover. */
    public Set<IpFamily> families(Rule rule) {
        Set<IpFamily> common = families(rule.sources());
        common.retainAll(families(rule.destinations()));
        return common;
    }
}
