package dev.septum.model.load;

import dev.septum.model.Rule;
import java.util.Optional;

/**
 * A rule read from its own fields, enforced as read: its policy's {@code mode} may be written after
 * its rules, so a rule read as soon as it is composed ({@link EarlyRules}) gets it here.
 *
 * @param rule empty when the rule's fields were refused (the diagnostics say why)
 * @param mode the rule's own valid {@code mode} (true for staged), which wins over its policy's
 */
record WrittenRule(Optional<Rule> rule, Optional<Boolean> mode) {
    Optional<Rule> inPolicy(boolean policyStaged) {
        boolean staged = mode.orElse(policyStaged);
        return staged ? rule.map(r -> r.withLifecycle(r.lifecycle().staged(true))) : rule;
    }
}
