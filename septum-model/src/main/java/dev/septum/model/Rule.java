package dev.septum.model;

import java.util.List;
import java.util.Optional;

/**
 * One ordered rule of a policy. Empty {@code sources}, {@code destinations} or {@code services}
 * mean any.
 *
 * @param lifecycle its expiry, owner and ticket ({@link RuleLifecycle#NONE} for a rule without)
 */
public record Rule(String name, String description, List<Ref> sources, List<Ref> destinations,
                   List<Ref> services, Direction direction, DecapType decap, Action action,
                   Optional<Ref> monitor, boolean enabled, SourceLocation at, RuleLifecycle lifecycle) implements PolicyObject {
    public Rule {
        sources = List.copyOf(sources);
        destinations = List.copyOf(destinations);
        services = List.copyOf(services);
    }

    /** A rule without expiry, owner or ticket. */
    public Rule(String name, String description, List<Ref> sources, List<Ref> destinations, List<Ref> services,
                Direction direction, DecapType decap, Action action, Optional<Ref> monitor, boolean enabled, SourceLocation at) {
        this(name, description, sources, destinations, services, direction, decap, action, monitor, enabled, at, RuleLifecycle.NONE);
    }

    /** The same rule with another lifecycle. */
    public Rule withLifecycle(RuleLifecycle other) {
        return new Rule(name, description, sources, destinations, services, direction, decap, action, monitor,
                enabled, at, other);
    }
}
