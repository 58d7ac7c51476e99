package dev.septum.lab;

import dev.septum.model.validate.NameRules;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads {@code lab.yaml}. Every problem is collected and reported together, each naming the
 * object, the field and the fix, before anything touches the kernel.
 */
public final class LabSpecLoader {
    public static final String FILE = "lab.yaml";

    private final String file;
    private final List<String> problems = new ArrayList<>();

    private LabSpecLoader(String file) {
        this.file = file;
    }

    /** Reads {@code dir/lab.yaml}; throws {@link LabSpecException} listing every problem. */
    public static LabSpec load(Path dir) {
        Path path = dir.resolve(FILE);
        if (!Files.isRegularFile(path)) {
            throw new LabSpecException(List.of(path + ": no lab description here. Fix: write " + FILE
                    + " next to the policy (see examples/seed-lab/lab.yaml)"));
        }
        try {
            return parse(path.toString(), Files.readString(path));
        } catch (IOException e) {
            throw new LabSpecException(List.of(path + ": cannot read: " + e.getMessage()));
        }
    }

    public static LabSpec parse(String file, String yaml) {
        LabSpecLoader loader = new LabSpecLoader(file);
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(file).build()).loadFromString(yaml);
        } catch (RuntimeException e) {
            throw new LabSpecException(List.of(file + ": not valid YAML: " + e.getMessage()));
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new LabSpecException(List.of(file + ": expected a mapping with policy-device, router, subnets, hosts, probes"));
        }
        LabSpec spec = loader.spec(map);
        if (!loader.problems.isEmpty()) {
            throw new LabSpecException(loader.problems);
        }
        return spec;
    }

    private LabSpec spec(Map<?, ?> root) {
        List<LabSpec.Router> routers = routers(root);
        String policyDevice = root.containsKey("policy-device") || routers.stream().anyMatch(r -> r.policyDevice().isEmpty())
                ? text(root, "lab", "policy-device").orElse("") : "";
        String core = routers.isEmpty() ? "" : routers.getFirst().name();
        List<String> routerNames = routers.stream().map(LabSpec.Router::name).toList();
        List<LabSpec.Subnet> subnets = list(root, "subnets", m -> {
            String name = name(m, "subnet", "name");
            return new LabSpec.Subnet(name, address(m, "subnet '" + name + "'", "prefix", true),
                    address(m, "subnet '" + name + "'", "gateway", false), routerOf(m, "subnet '" + name + "'", core, routerNames),
                    optionalName(m, "subnet '" + name + "'", "vrf"));
        });
        List<LabSpec.Bridge> bridges = list(root, "bridges", m -> {
            String name = name(m, "bridge", "name");
            return new LabSpec.Bridge(name, name(m, "bridge", "device"), routerOf(m, "bridge '" + name + "'", core, routerNames));
        });
        List<LabSpec.Host> hosts = list(root, "hosts", m -> host(m, subnets, bridges));
        List<LabSpec.Probe> probes = list(root, "probes", m -> probe(m, hosts));
        List<LabSpec.Scenario> scenarios = list(root, "scenarios", m -> new LabSpec.Scenario(name(m, "scenario", "name"),
                text(m, "scenario", "description").orElse(""), flag(m, "isolate-bridge-ports"), flag(m, "enforce-on-bridges")));
        unique("host", hosts.stream().map(LabSpec.Host::name).toList());
        unique("router", routerNames);
        for (LabSpec.Host h : hosts) {
            Optional<LabSpec.Subnet> subnet = subnets.stream().filter(x -> x.name().equals(h.subnet())).findFirst();
            Optional<LabSpec.Bridge> bridge = bridges.stream().filter(x -> h.bridge().equals(Optional.of(x.name()))).findFirst();
            if (subnet.isPresent() && bridge.isPresent() && !subnet.get().router().equals(bridge.get().router())) {
                problem("host '" + h.name() + "'", "bridge", "bridge " + bridge.get().name() + " hangs off router " + bridge.get().router()
                        + ", subnet " + subnet.get().name() + " off router " + subnet.get().router() + ". Fix: give both the same router");
            }
            if (subnet.isPresent() && h.address() != null && h.address().isIPv6() && !subnet.get().router().equals(core)) {
                problem("host '" + h.name() + "'", "address", "IPv6 hosts sit on the core router (" + core
                        + ") only; routers beyond it are joined over IPv4. Fix: move the subnet to " + core);
            }
        }
        unique("subnet", subnets.stream().map(LabSpec.Subnet::name).toList());
        if (scenarios.isEmpty()) {
            scenarios = List.of(new LabSpec.Scenario("default", "", false, false));
        }
        Optional<LabSpec.Monitor> monitor = monitor(root, hosts);
        if (monitor.isEmpty()) {
            probes.stream().filter(p -> p.mirrored().isPresent()).forEach(p -> problem("probe " + p.label(), "mirrored",
                    "the lab has no monitor node. Fix: add monitor: {host: NAME}, NAME a host holding the monitor object's "
                            + "tunnel-destination, or remove the field"));
        }
        List<String> scenarioNames = scenarios.stream().map(LabSpec.Scenario::name).toList();
        for (LabSpec.Probe p : probes) {
            p.expectIn().keySet().stream().filter(n -> !scenarioNames.contains(n)).forEach(n -> problem("probe " + p.label(),
                    "expect-in", "no scenario is named '" + n + "'. Fix: use one of " + String.join(", ", scenarioNames)));
        }
        return new LabSpec(policyDevice, routers, subnets, bridges, hosts, probes, scenarios, monitor);
    }

    /** {@code router: {...}} for one router, or {@code routers: [...]} for several (the first is the core). */
    private List<LabSpec.Router> routers(Map<?, ?> root) {
        if (root.containsKey("router") == root.containsKey("routers")) {
            problem("lab", "router", root.containsKey("router") ? "and routers: are both given. Fix: keep one"
                    : "is missing. Fix: router: {name: router, device: lab-router}, or routers: [...] for several");
            return List.of();
        }
        Function<Map<?, ?>, LabSpec.Router> read = m -> new LabSpec.Router(name(m, "router", "name"), name(m, "router", "device"),
                m.containsKey("policy-device") ? text(m, "router", "policy-device") : Optional.empty(),
                optionalName(m, "router", "uplink-vrf"));
        if (root.get("router") instanceof Map<?, ?> one) {
            return List.of(read.apply(one));
        }
        if (root.containsKey("router")) {
            problem("lab", "router", "must be a mapping. Fix: router: {name: router, device: lab-router}");
            return List.of();
        }
        List<LabSpec.Router> routers = list(root, "routers", read);
        if (routers.isEmpty()) {
            problem("lab", "routers", "is empty. Fix: list at least one router");
        }
        return routers;
    }

    /** A subnet's or bridge's {@code router}: one of the routers, the core when not given. */
    private String routerOf(Map<?, ?> m, String object, String core, List<String> routers) {
        if (!m.containsKey("router")) {
            return core;
        }
        String router = String.valueOf(m.get("router"));
        if (!routers.contains(router)) {
            problem(object, "router", "no router is named '" + router + "'. Fix: use one of " + String.join(", ", routers));
        }
        return router;
    }

    private Optional<LabSpec.Monitor> monitor(Map<?, ?> root, List<LabSpec.Host> hosts) {
        Object value = root.get("monitor");
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> m)) {
            problem("lab", "monitor", "must be a mapping. Fix: monitor: {host: vztx}");
            return Optional.empty();
        }
        Optional<String> host = text(m, "monitor", "host");
        host.filter(h -> hosts.stream().noneMatch(x -> x.name().equals(h))).ifPresent(h -> problem("monitor", "host",
                "no host is named '" + h + "'. Fix: use one of " + String.join(", ", hosts.stream().map(LabSpec.Host::name).toList())));
        return host.map(LabSpec.Monitor::new);
    }

    /** {@code mirrored: RULE} (stored, decided by RULE), {@code true} (stored) or {@code false} (not stored). */
    private Optional<LabSpec.Mirrored> mirrored(Map<?, ?> m, String object) {
        return switch (m.get("mirrored")) {
            case null -> Optional.empty();
            case Boolean b -> Optional.of(new LabSpec.Mirrored(b, Optional.empty()));
            case String rule when !rule.isBlank() -> Optional.of(new LabSpec.Mirrored(true, Optional.of(rule)));
            case Object other -> {
                problem(object, "mirrored", "'" + other + "' is not a monitor expectation. Fix: the rule that decides the "
                        + "mirrored session, true (stored by any rule) or false (not stored)");
                yield Optional.empty();
            }
        };
    }

    private LabSpec.Host host(Map<?, ?> m, List<LabSpec.Subnet> subnets, List<LabSpec.Bridge> bridges) {
        String name = name(m, "host", "name");
        String object = "host '" + name + "'";
        String subnet = text(m, object, "subnet").orElse("");
        IPAddress address = address(m, object, "address", false);
        Optional<LabSpec.Subnet> s = subnets.stream().filter(x -> x.name().equals(subnet)).findFirst();
        if (s.isEmpty() && !subnet.isEmpty()) {
            problem(object, "subnet", "no subnet is named '" + subnet + "'. Fix: use one of "
                    + String.join(", ", subnets.stream().map(LabSpec.Subnet::name).toList()));
        } else if (s.isPresent() && address != null && !s.get().prefix().contains(address)) {
            problem(object, "address", address + " is outside subnet " + subnet + " (" + s.get().prefix() + ")");
        }
        Optional<String> bridge = m.containsKey("bridge") ? text(m, object, "bridge") : Optional.empty();
        bridge.ifPresent(b -> {
            if (bridges.stream().noneMatch(x -> x.name().equals(b))) {
                problem(object, "bridge", "no bridge is named '" + b + "'. Fix: add it under bridges: or remove the field");
            }
        });
        List<ProbeKind> services = new ArrayList<>();
        for (Object o : m.get("services") instanceof List<?> l ? l : List.of()) {
            ProbeKind.parse(String.valueOf(o)).ifPresentOrElse(services::add, () -> problem(object, "services",
                    "'" + o + "' is not a service. Fix: ssh, http, http/N, tcp/N, dns, ntp, udp/N"));
        }
        return new LabSpec.Host(name, subnet, address, bridge, services);
    }

    private LabSpec.Probe probe(Map<?, ?> m, List<LabSpec.Host> hosts) {
        String from = text(m, "probe", "from").orElse("");
        String to = text(m, "probe", "to").orElse("");
        String object = "probe " + from + " -> " + to;
        for (String h : List.of(from, to)) {
            if (hosts.stream().noneMatch(x -> x.name().equals(h))) {
                problem(object, h.equals(from) ? "from" : "to", "no host is named '" + h + "'. Fix: use one of "
                        + String.join(", ", hosts.stream().map(LabSpec.Host::name).toList()));
            }
        }
        String kindText = text(m, object, "probe").orElse("");
        ProbeKind kind = ProbeKind.parse(kindText).orElse(null);
        if (kind == null) {
            problem(object, "probe", "'" + kindText + "' is not a probe. Fix: ssh, http, http/N, tcp/N, dns, ntp, udp/N, ping");
        } else if (!(kind instanceof ProbeKind.Ping)) {
            hosts.stream().filter(x -> x.name().equals(to) && !x.services().contains(kind)).findFirst().ifPresent(h ->
                    problem(object, "probe", h.name() + " does not listen for " + kindText + ". Fix: add it to the host's services"));
        }
        LabSpec.Verdict verdict = verdict(object, "expect", text(m, object, "expect").orElse(""));
        java.util.Map<String, LabSpec.Verdict> expectIn = new java.util.LinkedHashMap<>();
        Object perScenario = m.get("expect-in");
        if (perScenario instanceof Map<?, ?> byScenario) {
            byScenario.forEach((scenario, v) -> expectIn.put(String.valueOf(scenario),
                    verdict(object, "expect-in." + scenario, String.valueOf(v))));
        } else if (perScenario != null) {
            problem(object, "expect-in", "must be a mapping of scenario names to allow, drop or redirect, e.g. {router-only: allow}");
        }
        return new LabSpec.Probe(from, to, kind, verdict, expectIn, m.containsKey("note") ? String.valueOf(m.get("note")) : "",
                mirrored(m, object));
    }

    private LabSpec.Verdict verdict(String object, String field, String text) {
        return switch (text) {
            case "allow" -> LabSpec.Verdict.ALLOW;
            case "drop" -> LabSpec.Verdict.DROP;
            case "redirect" -> LabSpec.Verdict.REDIRECT;
            default -> {
                problem(object, field, "'" + text + "' is not a verdict. Fix: allow, drop or redirect");
                yield LabSpec.Verdict.DROP;
            }
        };
    }

    private <T> List<T> list(Map<?, ?> root, String key, Function<Map<?, ?>, T> read) {
        Object value = root.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items)) {
            problem("lab", key, "must be a list");
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof Map<?, ?> m) {
                out.add(read.apply(m));
            } else {
                problem(key, "item", "'" + item + "' must be a mapping such as {name: ...}");
            }
        }
        return out;
    }

    /** Names become namespace and interface aliases and nftables device names, so they follow the model's rules. */
    private String name(Map<?, ?> m, String object, String field) {
        String name = text(m, object, field).orElse("");
        NameRules.nameProblem(name).ifPresent(p -> problem(object, field, p));
        if (name.length() > 40) {
            problem(object + " '" + name + "'", field, "is longer than 40 characters (network namespace names get a prefix)");
        }
        return name;
    }

    /** A name that may be left out (a VRF): when given, it follows the model's name rules. */
    private Optional<String> optionalName(Map<?, ?> m, String object, String field) {
        return m.containsKey(field) ? Optional.of(name(m, object, field)) : Optional.empty();
    }

    private Optional<String> text(Map<?, ?> m, String object, String field) {
        Object value = m.get(field);
        if (value == null) {
            problem(object, field, "is missing");
            return Optional.empty();
        }
        return Optional.of(String.valueOf(value));
    }

    private static boolean flag(Map<?, ?> m, String field) {
        return Boolean.TRUE.equals(m.get(field));
    }

    private IPAddress address(Map<?, ?> m, String object, String field, boolean prefix) {
        Optional<String> text = text(m, object, field);
        if (text.isEmpty()) {
            return null;
        }
        IPAddress address = new IPAddressString(text.get()).getAddress();
        if (address == null || (!prefix && address.isPrefixed() && address.getPrefixLength() != address.getBitCount())) {
            problem(object, field, "'" + text.get() + "' is not an IP " + (prefix ? "prefix" : "address"));
            return null;
        }
        if (prefix && !address.isPrefixed()) {
            problem(object, field, "'" + text.get() + "' needs a prefix length, e.g. 10.100.99.0/24");
            return null;
        }
        return prefix ? address : address.withoutPrefixLength();
    }

    private void unique(String kind, List<String> names) {
        Set<String> seen = new HashSet<>();
        names.stream().filter(n -> !seen.add(n)).distinct()
                .forEach(n -> problem(kind + " '" + n + "'", "name", "is used twice. Fix: give each " + kind + " its own name"));
    }

    private void problem(String object, String field, String problem) {
        problems.add(file + ": " + object + ", field '" + field + "': " + problem);
    }
}
