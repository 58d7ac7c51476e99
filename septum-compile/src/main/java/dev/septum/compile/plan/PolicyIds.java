package dev.septum.compile.plan;

import dev.septum.model.PolicyModel;
import dev.septum.model.PolicyNumbers;
import java.util.Map;

/**
 * The {@code #policy-id} of each policy, by the model's one numbering rule ({@link PolicyNumbers}):
 * the server pins every number into the stored YAML, so the number in hand is the explicit one.
 */
final class PolicyIds {
    private PolicyIds() {
    }

    static Map<String, Integer> assign(PolicyModel model) {
        return PolicyNumbers.assign(model);
    }
}
