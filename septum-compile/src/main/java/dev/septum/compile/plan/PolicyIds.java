package dev.septum.compile.plan;

import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * MSS numbers policies from 256 and renders the number as {@code description #policy-id=N}.
 * Policies without an explicit id get the lowest free number from 256, in the order written, so
 * ids stay stable when a policy is appended.
 */
final class PolicyIds {
    static final int FIRST_ID = 256;

    private PolicyIds() {
    }

    static Map<String, Integer> assign(PolicyModel model) {
        Set<Integer> taken = new HashSet<>();
        model.policies().values().forEach(p -> p.id().ifPresent(taken::add));
        Map<String, Integer> ids = new HashMap<>();
        int next = FIRST_ID;
        for (Policy p : model.policies().values()) {
            if (p.id().isPresent()) {
                ids.put(p.name(), p.id().getAsInt());
                continue;
            }
            while (taken.contains(next)) {
                next++;
            }
            taken.add(next);
            ids.put(p.name(), next);
        }
        return ids;
    }
}
