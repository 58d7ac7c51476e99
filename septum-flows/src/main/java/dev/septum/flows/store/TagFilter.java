package dev.septum.flows.store;

import java.util.Optional;

/**
 * Which stored tags a session query keeps; empty fields match everything.
 *
 * @param group         either endpoint is in this group
 * @param rule          the deciding rule or match has this name
 * @param service       the session's service is this policy service
 * @param policyVersion tagged with this policy version
 */
public record TagFilter(Optional<String> group, Optional<String> rule, Optional<String> service,
                        Optional<String> policyVersion) {
    public static final TagFilter NONE = new TagFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public boolean isEmpty() {
        return group.isEmpty() && rule.isEmpty() && service.isEmpty() && policyVersion.isEmpty();
    }
}
