package dev.septum.compile.plan;

import dev.septum.model.DecapType;
import dev.septum.model.IpFamily;
import java.util.List;
import java.util.Optional;

/**
 * One ordered match of a traffic-policy: a rule in one address family and one direction. Empty
 * field-set lists mean any. {@code reverse} marks the stateless reply match of a bidirectional rule.
 *
 * @param policy        the model policy the rule came from
 * @param rule          the model rule's name
 * @param mirrorSession the monitor session name, e.g. {@code andreas-vztx-ALL}
 */
public record MatchEntry(String name, IpFamily family, String policy, String rule, String description,
                         boolean reverse, List<String> sourceSets, List<String> destinationSets,
                         List<String> serviceSets, DecapType decap, MatchAction action,
                         Optional<String> mirrorSession) {
    public MatchEntry {
        sourceSets = List.copyOf(sourceSets);
        destinationSets = List.copyOf(destinationSets);
        serviceSets = List.copyOf(serviceSets);
    }
}
