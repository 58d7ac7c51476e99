package dev.septum.model.load;

import java.util.Map;
import java.util.Set;

/** The fields of a group's {@code source:} per kind; the JSON Schema is checked against these. */
public final class SourceKeys {
    public static final Map<String, Set<String>> BY_KIND = Map.of(
            "dns", Set.of("kind", "names", "server", "min-refresh", "max-refresh"),
            "dhcp", Set.of("kind", "url", "family", "client-classes", "hostname", "subnets", "auth-env", "refresh"),
            "http-json", Set.of("kind", "url", "auth-header", "auth-env", "ca-file", "items", "address", "as-hosts",
                    "filter", "categories", "refresh"),
            "file", Set.of("kind", "path", "format", "refresh"),
            "push", Set.of("kind"));

    private SourceKeys() {
    }
}
