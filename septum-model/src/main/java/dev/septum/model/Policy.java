package dev.septum.model;

import java.util.List;
import java.util.OptionalInt;

/**
 * Ordered rules applied in one VRF of a security domain. Policies of the same domain and VRF are
 * merged, by ascending {@code priority} and then in the order they were written, into the one
 * traffic-policy EOS binds to that VRF.
 *
 * @param id the MSS policy id rendered as {@code description #policy-id=N}; assigned when absent
 */
public record Policy(String name, String description, OptionalInt id, Ref domain, Ref vrf,
                     int priority, List<Rule> rules, SourceLocation at) implements PolicyObject {
    public static final int DEFAULT_PRIORITY = 1000;

    public Policy {
        rules = List.copyOf(rules);
    }
}
