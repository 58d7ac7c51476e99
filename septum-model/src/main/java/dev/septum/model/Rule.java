package dev.septum.model;

import java.util.List;
import java.util.Optional;

/**
 * One ordered rule of a policy. Empty {@code sources}, {@code destinations} or {@code services}
 * mean any.
 */
public record Rule(String name, String description, List<Ref> sources, List<Ref> destinations,
                   List<Ref> services, Direction direction, DecapType decap, Action action,
                   Optional<Ref> monitor, boolean enabled, SourceLocation at) implements PolicyObject {
    public Rule {
        sources = List.copyOf(sources);
        destinations = List.copyOf(destinations);
        services = List.copyOf(services);
    }
}
