package dev.septum.model;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Who answers for a rule and how long it is meant to live: a temporary exception carries the day
 * it expires, its owner and the ticket that asked for it. Expiry never removes a rule by itself:
 * {@code septum check} warns ahead of the day and reports an expired rule as an error, so its
 * removal goes through a reviewed, approved change like any other.
 *
 * @param expires the last day the rule is meant to be in force
 * @param owner   who answers for the rule, empty when nobody was named
 * @param ticket  the change request or ticket that asked for it, empty when none
 */
public record RuleLifecycle(Optional<LocalDate> expires, String owner, String ticket) {
    public static final RuleLifecycle NONE = new RuleLifecycle(Optional.empty(), "", "");
}
