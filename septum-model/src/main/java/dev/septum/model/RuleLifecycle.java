package dev.septum.model;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Whether a rule is enforced or only staged, who answers for it and how long it is meant to live: a temporary exception carries the day
 * it expires, its owner and the ticket that asked for it. Expiry never removes a rule by itself:
 * {@code septum check} warns ahead of the day and reports an expired rule as an error, so its
 * removal goes through a reviewed, approved change like any other.
 *
 * @param expires the last day the rule is meant to be in force
 * @param owner   who answers for the rule, empty when nobody was named
 * @param ticket  the change request or ticket that asked for it, empty when none
 * @param staged  {@code mode: staged}: no device enforces the rule; the controller reports what it
 *                would decide, and promoting it is a reviewed change
 */
public record RuleLifecycle(Optional<LocalDate> expires, String owner, String ticket, boolean staged) {
    public static final RuleLifecycle NONE = new RuleLifecycle(Optional.empty(), "", "", false);

    /** The same, enforced or staged. */
    public RuleLifecycle staged(boolean staged) {
        return new RuleLifecycle(expires, owner, ticket, staged);
    }
}
