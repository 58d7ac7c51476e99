package dev.septum.server.ui;

import dev.septum.flows.store.StoredSession;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the flow map names each side of a session: by the groups its address is in (an address in
 * two groups is one node named after both, so every session counts once), or by one category of
 * those groups, e.g. {@code zone=web-app}, read from the policy version that tagged the session.
 *
 * @param category   the category key the nodes are named by; empty: by groups
 * @param categories a policy version's id (as sessions are tagged with it) to each group's categories
 */
record Nodes(Optional<String> category, Function<String, Map<String, Map<String, String>>> categories) {
    static final String OUTSIDE = "outside";

    static Nodes byGroup() {
        return new Nodes(Optional.empty(), version -> Map.of());
    }

    String client(StoredSession s) {
        return name(s.tags().clientGroups(), s.tags().policyVersion());
    }

    String server(StoredSession s) {
        return name(s.tags().serverGroups(), s.tags().policyVersion());
    }

    private String name(List<String> groups, String version) {
        if (groups.isEmpty()) {
            return OUTSIDE;
        }
        if (category.isEmpty()) {
            return String.join(", ", groups);
        }
        String key = category.get();
        Map<String, Map<String, String>> ofGroups = categories.apply(version);
        List<String> values = groups.stream().map(g -> ofGroups.getOrDefault(g, Map.of()).get(key)).filter(Objects::nonNull)
                .distinct().sorted().toList();
        return values.isEmpty() ? "no " + key : key + "=" + String.join(", ", values);
    }
}
