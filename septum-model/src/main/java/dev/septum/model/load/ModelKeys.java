package dev.septum.model.load;

import java.util.Set;

/**
 * The fields each kind of object has in the YAML files. The JSON Schema in {@code schema/} is
 * checked against these by a test, so editors and the loader never disagree.
 */
public final class ModelKeys {
    public static final Set<String> TOP = Set.of("domains", "devices", "groups", "services", "redirects",
            "monitors", "policies");
    public static final Set<String> DOMAIN = Set.of("name", "devices", "vrfs");
    public static final Set<String> DEVICE = Set.of("name", "platform", "role", "model", "management",
            "loopback", "tags");
    public static final Set<String> GROUP = Set.of("name", "prefixes", "categories", "source", "auto-apply");
    public static final Set<String> SERVICE = Set.of("name", "protocol", "source", "destination", "icmp-type",
            "icmp-code", "entries");
    public static final Set<String> SERVICE_ENTRY = Set.of("protocol", "source", "destination", "icmp-type",
            "icmp-code");
    public static final Set<String> REDIRECT = Set.of("name", "next-hops", "router-port");
    public static final Set<String> MONITOR = Set.of("name", "exporter-interface", "active-timeout-ms",
            "tunnel-destination", "tunnel-source-interface", "rate-limit-mbps", "truncate", "nodes");
    public static final Set<String> POLICY = Set.of("name", "description", "id", "domain", "vrf", "priority",
            "rules", "mode");
    public static final Set<String> RULE = Set.of("name", "description", "sources", "destinations", "services",
            "direction", "decap", "action", "redirect", "monitor", "enabled", "expires", "owner", "ticket", "mode");

    private ModelKeys() {
    }
}
