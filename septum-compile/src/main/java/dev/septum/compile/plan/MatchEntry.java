package dev.septum.compile.plan;

import dev.septum.model.DecapType;
import dev.septum.model.IpFamily;
import java.util.List;
import java.util.Optional;

/**
 * One ordered match of a traffic-policy: a rule in one address family and one direction. Empty
 * field-set lists mean any. {@code reverse} marks the stateless reply match of a bidirectional rule.
 * {@code staged} marks a match of a staged rule: no device enforces it; a device that can count it
 * without a verdict (nftables) does, at the position it would sit.
 *
 * @param policy        the model policy the rule came from
 * @param rule          the model rule's name
 * @param mirrorSession the monitor session name, e.g. {@code andreas-vztx-ALL}
 */
public record MatchEntry(String name, IpFamily family, String policy, String rule, String description,
                         boolean reverse, List<String> sourceSets, List<String> destinationSets,
                         List<String> serviceSets, DecapType decap, MatchAction action,
                         Optional<String> mirrorSession, boolean staged) {
    public MatchEntry {
        sourceSets = List.copyOf(sourceSets);
        destinationSets = List.copyOf(destinationSets);
        serviceSets = List.copyOf(serviceSets);
    }
}
