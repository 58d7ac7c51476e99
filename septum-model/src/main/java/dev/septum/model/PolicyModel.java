package dev.septum.model;

import java.util.Collections;
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
}
