package dev.septum.server.ui;

import dev.septum.server.api.Body;
import dev.septum.server.api.Limits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The inputs of one kind of object and how a submitted form becomes the object's fields (the same
 * JSON-shaped map the REST object routes take). A form edits only the fields it shows: an edited
 * object keeps the others (a policy its rules, a service its entries). An input left empty removes
 * its field, so the loader's default applies.
 */
record FormSpec(String kind, String singular, List<Input> inputs) {
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,9}");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[,\\s]+");

    /** One input; {@code choices} names the kind of object a picker offers (with "any" first when {@code any}). */
    record Input(String key, String label, String input, String hint, Optional<String> choices, boolean any) {
        static Input text(String key, String hint) {
            return new Input(key, key, "text", hint, Optional.empty(), false);
        }

        /** A text input whose value may be a number (a port, a timeout) or a name. */
        static Input value(String key, String hint) {
            return new Input(key, key, "value", hint, Optional.empty(), false);
        }

        static Input list(String key, String hint) {
            return new Input(key, key, "list", hint, Optional.empty(), false);
        }

        static Input fixed(String key, String hint, String... choices) {
            return new Input(key, key, "select", hint, Optional.of(String.join(",", choices)), false);
        }
    }

    static Optional<FormSpec> of(String kind) {
        return Optional.ofNullable(switch (kind) {
            case "domains" -> new FormSpec(kind, "domain", List.of(Input.text("name", "the security domain's name"),
                    new Input("devices", "devices", "multi", "the switches and hosts that enforce its policies", Optional.of("devices"), false),
                    Input.list("vrfs", "the VRFs its policies may name, e.g. ALL")));
            case "devices" -> new FormSpec(kind, "device", List.of(Input.text("name", "the device's host name"),
                    Input.fixed("platform", "eos (Arista) or linux (nftables)", "eos", "linux"),
                    Input.fixed("role", "switch enforces; monitor receives mirrored traffic", "switch", "monitor", "host"),
                    Input.text("model", "hardware model, e.g. CCS-720XP-48ZC2"), Input.text("management", "management address"),
                    Input.text("loopback", "loopback address (GRE tunnels)")));
            case "groups" -> new FormSpec(kind, "group", List.of(Input.text("name", "the group's name; rules use it"),
                    Input.list("prefixes", "addresses or prefixes, comma separated, e.g. 10.100.1.6, 10.100.1.7"),
                    new Input("categories", "categories", "map", "one 'key: value' a line, e.g. zone: infra", Optional.empty(), false)));
            case "services" -> new FormSpec(kind, "service", List.of(Input.text("name", "the service's name; rules use it"),
                    Input.value("protocol", "tcp, udp, icmp, icmpv6, another name such as gre, or a number 0-255"),
                    Input.list("source", "source ports; empty for all"),
                    Input.list("destination", "destination ports or names, e.g. 53 or domain, ntp"),
                    Input.value("icmp-type", "icmp and icmpv6 only, e.g. echo-request"), Input.value("icmp-code", "one code of the icmp-type")));
            case "redirects" -> new FormSpec(kind, "redirect", List.of(Input.text("name", "the redirect object's name"),
                    Input.list("next-hops", "firewall addresses, all IPv4 or all IPv6, e.g. 192.0.2.1"),
                    Input.text("router-port", "nftables routers: the interface toward the next hops, e.g. eth1")));
            case "monitors" -> new FormSpec(kind, "monitor", List.of(Input.text("name", "the monitor object's name"),
                    Input.text("tunnel-destination", "the monitor node's tunnel address (its loopback)"),
                    new Input("nodes", "nodes", "multi", "devices with role monitor receiving the mirrored traffic", Optional.of("devices"), false),
                    Input.text("exporter-interface", "default Loopback0"), Input.text("tunnel-source-interface", "default Loopback0"),
                    Input.value("active-timeout-ms", "flow export interval, default 1800000"),
                    Input.value("rate-limit-mbps", "mirror rate limit per chip, default 100000")));
            case "policies" -> new FormSpec(kind, "policy", List.of(Input.text("name", "the policy's name"),
                    Input.text("description", "what the policy is for, one line"),
                    new Input("domain", "domain", "select", "the security domain it applies to", Optional.of("domains"), false),
                    Input.text("vrf", "a VRF of the domain; default ALL"),
                    Input.value("priority", "lower runs first among policies of one domain and VRF; default 1000")));
            case "rules" -> new FormSpec(kind, "rule", List.of(Input.text("name", "the rule's name; also its EOS match name"),
                    Input.text("description", "what the rule is for, one line"),
                    new Input("sources", "sources", "multi", "groups the traffic comes from; none chosen: any", Optional.of("groups"), true),
                    new Input("destinations", "destinations", "multi", "groups the traffic goes to; none chosen: any", Optional.of("groups"), true),
                    new Input("services", "services", "multi", "services; none chosen: any", Optional.of("services"), true),
                    Input.fixed("direction", "uni (default) matches requests; bi also the replies", "", "uni", "bi"),
                    Input.fixed("decap", "which headers of VXLAN traffic it inspects (default allow-all)", "", "allow-all",
                            "vxlan-decap-only", "no-vxlan-decap"),
                    Input.fixed("action", "forward, drop, or redirect to a redirect object", "forward", "drop", "redirect"),
                    new Input("redirect", "redirect", "select", "where action redirect sends traffic", Optional.of("redirects"), false),
                    new Input("monitor", "monitor", "select", "mirror matched traffic to this monitor object", Optional.of("monitors"), false),
                    new Input("enabled", "enabled", "check", "a disabled rule stays in the policy but matches nothing", Optional.empty(), false)));
            default -> null;
        });
    }

    /**
     * The object's fields after the form: {@code stored} (empty for a new object) with each input's
     * field set from the form, or removed when left empty. Every value is bounded.
     */
    Map<String, Object> decode(Map<String, List<String>> form, Map<String, Object> stored) {
        Map<String, Object> value = new LinkedHashMap<>(stored);
        for (Input in : inputs) {
            List<String> given = form.getOrDefault(in.key(), List.of()).stream()
                    .map(v -> Body.limited(in.key(), v.strip(), in.input().equals("map") || in.input().equals("list") ? Limits.MESSAGE * 16
                            : Limits.FIELD))
                    .filter(v -> !v.isEmpty()).toList();
            Optional<Object> field = switch (in.input()) {
                case "list" -> given.isEmpty() ? Optional.empty()
                        : Optional.of(LIST_SEPARATOR.splitAsStream(given.getFirst()).filter(v -> !v.isEmpty()).map(FormSpec::scalar).toList());
                case "map" -> given.isEmpty() ? Optional.empty() : Optional.of(pairs(given.getFirst()));
                case "multi" -> given.isEmpty() ? Optional.empty() : Optional.of(given.contains("any") ? "any" : given);
                // a rule is enabled unless it says otherwise: only a cleared box writes the field
                case "check" -> given.isEmpty() ? Optional.of(false) : Optional.empty();
                case "value" -> given.isEmpty() ? Optional.empty() : Optional.of(scalar(given.getFirst()));
                default -> given.isEmpty() ? Optional.empty() : Optional.of(given.getFirst());
            };
            value.remove(in.key());
            field.ifPresent(v -> value.put(in.key(), v));
        }
        return value;
    }

    /** The stored value of an input as the form shows it: lists comma separated, maps one pair a line. */
    static String text(Object value) {
        return switch (value) {
            case null -> "";
            case List<?> list -> String.join(", ", list.stream().map(String::valueOf).toList());
            case Map<?, ?> map -> String.join("\n", map.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
            default -> String.valueOf(value);
        };
    }

    static List<String> selected(Object value) {
        return switch (value) {
            case null -> List.of();
            case List<?> list -> list.stream().map(String::valueOf).toList();
            default -> List.of(String.valueOf(value));
        };
    }

    /** Port numbers, ids and timeouts are numbers in the YAML; names stay text. */
    private static Object scalar(String text) {
        return WHOLE_NUMBER.matcher(text).matches() ? (Object) Long.parseLong(text) : text;
    }

    private static Map<String, Object> pairs(String text) {
        Map<String, Object> pairs = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            int colon = line.indexOf(':');
            if (!line.isBlank()) {
                pairs.put((colon < 0 ? line : line.substring(0, colon)).strip(), colon < 0 ? "" : line.substring(colon + 1).strip());
            }
        }
        return pairs;
    }
}
