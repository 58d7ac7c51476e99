package dev.septum.model.load;

import dev.septum.model.Action;
import dev.septum.model.DecapType;
import dev.septum.model.Device;
import dev.septum.model.Direction;
import dev.septum.model.Group;
import dev.septum.model.IpFamily;
import dev.septum.model.MonitorObject;
import dev.septum.model.Platform;
import dev.septum.model.Policy;
import dev.septum.model.Protocol;
import dev.septum.model.RedirectObject;
import dev.septum.model.Ref;
import dev.septum.model.Role;
import dev.septum.model.Rule;
import dev.septum.model.SecurityDomain;
import dev.septum.model.Service;
import dev.septum.model.ServiceEntry;
import dev.septum.model.validate.Suggestions;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Turns one YAML mapping into one model record; problems go to the diagnostics, never thrown. */
final class ObjectReaders {
    private ObjectReaders() {
    }

    /** Reads the name and renames the object in later diagnostics, e.g. {@code group 'web'}. */
    static Optional<String> name(YamlFields y, String kind) {
        Optional<String> name = y.required("name", "give the " + kind + " a name").map(Scalar::text);
        name.ifPresent(n -> y.describeAs(described(kind, n)));
        return name;
    }

    /** How diagnostics name an object of this kind, e.g. {@code policy 'campus'}. */
    static String described(String kind, String name) {
        return kind + " '" + name + "'";
    }

    static Optional<SecurityDomain> domain(YamlFields y) {
        Optional<String> domainName = name(y, "domain");
        y.rejectUnknown(ModelKeys.DOMAIN);
        return domainName.map(name -> {
            List<String> vrfs = y.scalars("vrfs").stream().map(Scalar::text).toList();
            if (vrfs.isEmpty()) {
                y.diagnostics().error(y.at(), y.object(), "vrfs", "lists no VRF", "add 'vrfs: [ALL]' or the VRF names");
            }
            return new SecurityDomain(name, refs(y, "devices"), vrfs, y.at("name"));
        });
    }

    static Optional<Device> device(YamlFields y) {
        Optional<String> name = name(y, "device");
        y.rejectUnknown(ModelKeys.DEVICE);
        Optional<Platform> platform = y.required("platform", "add 'platform: eos' or 'platform: nftables'")
                .flatMap(s -> keyword(y, "platform", s, Platform.values(), Platform::keyword));
        Role role = y.scalar("role").flatMap(s -> keyword(y, "role", s, Role.values(), Role::keyword))
                .orElse(Role.SWITCH);
        Optional<IPAddress> management = y.scalar("management").flatMap(s -> Addresses.host(s, y.object(), "management", y.diagnostics()));
        Optional<IPAddress> loopback = y.scalar("loopback").flatMap(s -> Addresses.host(s, y.object(), "loopback", y.diagnostics()));
        List<String> tags = y.scalars("tags").stream().map(Scalar::text).toList();
        if (name.isEmpty() || platform.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Device(name.get(), platform.get(), role, y.string("model", ""), management,
                loopback, tags, y.at("name")));
    }

    static Optional<Group> group(YamlFields y) {
        Optional<String> groupName = name(y, "group");
        y.rejectUnknown(ModelKeys.GROUP);
        return groupName.map(name -> {
            List<IPAddress> members = new ArrayList<>();
            for (Scalar s : y.scalars("prefixes")) {
                Addresses.prefix(s, y.object(), "prefixes", y.diagnostics()).ifPresent(members::add);
            }
            Map<String, String> categories = y.stringMap("categories").entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text()));
            Optional<dev.septum.model.GroupSource> source = y.mapping("source").flatMap(GroupSourceReader::read);
            Optional<dev.septum.model.AutoApply> autoApply = y.mapping("auto-apply").flatMap(a -> {
                a.rejectUnknown(java.util.Set.of("max-changed"));
                Optional<Long> most = a.integer("max-changed", 1, dev.septum.model.AutoApply.MOST);
                if (most.isEmpty() && a.scalar("max-changed").isEmpty()) {
                    a.diagnostics().error(a.at(), a.object(), "max-changed", "is missing",
                            "say how many members may change without review, e.g. auto-apply: {max-changed: 5}");
                }
                return most.map(n -> new dev.septum.model.AutoApply(n.intValue()));
            });
            if (autoApply.isPresent() && y.mapping("source").isEmpty()) {
                y.diagnostics().error(y.at("auto-apply"), y.object(), "auto-apply", "is only for a dynamic group",
                        "give the group a source, or remove auto-apply");
            }
            return new Group(name, members, categories, y.at("name"), source, autoApply);
        });
    }

    static Optional<Service> service(YamlFields y) {
        Optional<String> name = name(y, "service");
        y.rejectUnknown(ModelKeys.SERVICE);
        List<ServiceEntry> entries = new ArrayList<>();
        boolean inline = ModelKeys.SERVICE_ENTRY.stream().anyMatch(y::has);
        if (inline && y.has("entries")) {
            y.diagnostics().error(y.at("entries"), y.object(), "entries",
                    "is given together with protocol/source/destination/icmp-type/icmp-code",
                    "use either one inline protocol line or a list of 'entries'");
        } else if (inline) {
            serviceEntry(y).ifPresent(entries::add);
        } else {
            for (YamlFields entry : y.objects("entries", "service entry")) {
                entry.describeAs(y.object() + " entry");
                entry.rejectUnknown(ModelKeys.SERVICE_ENTRY);
                serviceEntry(entry).ifPresent(entries::add);
            }
        }
        if (!inline && !y.has("entries")) {
            y.diagnostics().error(y.at(), y.object(), "protocol", "defines no protocol",
                    "add 'protocol: tcp' and 'destination: <ports>', or a list of 'entries'");
        }
        return name.map(n -> new Service(n, entries, y.at("name")));
    }

    private static Optional<ServiceEntry> serviceEntry(YamlFields y) {
        Optional<Protocol> protocol = y.required("protocol", "add 'protocol: tcp' (or udp, icmp, a number)")
                .flatMap(s -> {
                    Optional<Protocol> p = Protocol.parse(s.text());
                    if (p.isEmpty()) {
                        y.diagnostics().error(s.at(), y.object(), "protocol", "'" + s.text() + "' is not a protocol",
                                Suggestions.fix(s.text(), Protocol.names(), "use tcp, udp, icmp or a number 0-255"));
                    }
                    return p;
                });
        var source = Ports.parse(y.scalars("source"), y.object(), "source", y.diagnostics());
        var destination = Ports.parse(y.scalars("destination"), y.object(), "destination", y.diagnostics());
        return protocol.flatMap(p -> {
            if (!p.hasPorts() && (!source.isAll() || !destination.isAll())) {
                y.diagnostics().error(y.at("protocol"), y.object(), "protocol", p.keyword() + " has no ports",
                        "remove 'source'/'destination', or use tcp or udp");
                return Optional.empty();
            }
            return IcmpFields.read(y, p).map(icmp -> new ServiceEntry(p, source, destination, icmp));
        });
    }

    static Optional<RedirectObject> redirect(YamlFields y) {
        Optional<String> redirectName = name(y, "redirect");
        y.rejectUnknown(ModelKeys.REDIRECT);
        return redirectName.map(name -> {
            List<IPAddress> hops = new ArrayList<>();
            for (Scalar s : y.scalars("next-hops")) {
                Addresses.host(s, y.object(), "next-hops", y.diagnostics()).ifPresent(hops::add);
            }
            if (y.scalars("next-hops").isEmpty()) {
                y.diagnostics().error(y.at(), y.object(), "next-hops", "lists no next hop",
                        "add 'next-hops: [192.0.2.1]' with the firewall's address");
            }
            return new RedirectObject(name, hops, y.string("router-port"), y.at("name"));
        });
    }

    static Optional<MonitorObject> monitor(YamlFields y) {
        Optional<String> name = name(y, "monitor");
        y.rejectUnknown(ModelKeys.MONITOR);
        Optional<IPAddress> destination = y.required("tunnel-destination",
                        "add 'tunnel-destination:' with the monitor node's loopback address")
                .flatMap(s -> Addresses.host(s, y.object(), "tunnel-destination", y.diagnostics()));
        long timeout = y.integer("active-timeout-ms", 1000, 86_400_000L).orElse(MonitorObject.DEFAULT_ACTIVE_TIMEOUT_MS);
        long rate = y.integer("rate-limit-mbps", 1, 10_000_000L).orElse(MonitorObject.DEFAULT_RATE_LIMIT_MBPS);
        List<Ref> nodes = refs(y, "nodes");
        if (nodes.isEmpty()) {
            y.diagnostics().error(y.at(), y.object(), "nodes", "lists no monitor node",
                    "add 'nodes: [<device with role monitor>]'");
        }
        if (name.isEmpty() || destination.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MonitorObject(name.get(), y.string("exporter-interface", "Loopback0"), timeout,
                destination.get(), y.string("tunnel-source-interface", "Loopback0"), rate,
                y.bool("truncate", true), nodes, y.at("name")));
    }

    static Optional<Policy> policy(YamlFields y) {
        Optional<String> name = name(y, "policy");
        y.rejectUnknown(ModelKeys.POLICY);
        Optional<Ref> domain = y.required("domain", "add 'domain:' naming the security domain").map(s -> new Ref(s.text(), s.at()));
        Ref vrf = y.scalar("vrf").map(s -> new Ref(s.text(), s.at())).orElse(new Ref("ALL", y.at()));
        OptionalInt id = y.integer("id", 1, Integer.MAX_VALUE).map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty());
        int priority = y.integer("priority", 0, 1_000_000).map(Long::intValue).orElse(Policy.DEFAULT_PRIORITY);
        String policyObject = y.object();
        boolean staged = RuleLifecycleReader.staged(y).orElse(false);
        List<Rule> rules = y.objects("rules", "rule").stream()
                .map(r -> r.earlyRule().orElseGet(() -> rule(r, policyObject)).inPolicy(staged))
                .flatMap(Optional::stream).toList();
        if (name.isEmpty() || domain.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Policy(name.get(), y.string("description", ""), id, domain.get(), vrf, priority,
                rules, y.at("name")));
    }

    /** A rule as it is written, before its policy's mode applies. */
    static WrittenRule rule(YamlFields y, String policyObject) {
        Optional<String> name = y.required("name", "give the rule a name").map(Scalar::text);
        name.ifPresent(n -> y.describeAs("rule '" + n + "' in " + policyObject));
        // after the name, so an unknown key is reported on "rule 'x' in policy 'y'", not on "rule"
        y.rejectUnknown(ModelKeys.RULE);
        Direction direction = y.scalar("direction").flatMap(s -> keyword(y, "direction", s, Direction.values(), Direction::keyword))
                .orElse(Direction.UNI);
        DecapType decap = y.scalar("decap").flatMap(s -> keyword(y, "decap", s, DecapType.values(), DecapType::keyword))
                .orElse(DecapType.ALLOW_ALL);
        Optional<Action> action = action(y);
        Optional<Ref> monitor = y.scalar("monitor").map(s -> new Ref(s.text(), s.at()));
        List<Ref> sources = anyOrRefs(y, "sources");
        List<Ref> destinations = anyOrRefs(y, "destinations");
        List<Ref> services = anyOrRefs(y, "services");
        RuleLifecycleReader.Written lifecycle = RuleLifecycleReader.read(y);
        if (name.isEmpty() || action.isEmpty()) {
            return new WrittenRule(Optional.empty(), lifecycle.mode());
        }
        return new WrittenRule(Optional.of(new Rule(name.get(), y.string("description", ""), sources, destinations,
                services, direction, decap, action.get(), monitor, y.bool("enabled", true), y.at("name"),
                lifecycle.lifecycle())), lifecycle.mode());
    }

    private static Optional<Action> action(YamlFields y) {
        Optional<String> keyword = y.required("action", "add 'action: forward', 'action: drop' or 'action: redirect'")
                .flatMap(s -> keyword(y, "action", s, new String[] {"forward", "drop", "redirect"}, Function.identity()));
        Optional<Scalar> redirect = y.scalar("redirect");
        if (keyword.isPresent() && !keyword.get().equals("redirect") && redirect.isPresent()) {
            y.diagnostics().error(redirect.get().at(), y.object(), "redirect",
                    "names a redirect object but the action is " + keyword.get(),
                    "set 'action: redirect', or remove 'redirect'");
        }
        return keyword.flatMap(k -> switch (k) {
            case "forward" -> Optional.of(new Action.Forward());
            case "drop" -> Optional.of(new Action.Drop());
            default -> {
                if (redirect.isEmpty()) {
                    y.diagnostics().error(y.at("action"), y.object(), "redirect",
                            "action is redirect but no redirect object is named",
                            "add 'redirect: <name of a redirect object>'");
                    yield Optional.empty();
                }
                yield Optional.of(new Action.Redirect(new Ref(redirect.get().text(), redirect.get().at())));
            }
        });
    }

    /** {@code any}, absent, or a list of names; {@code any} mixed with names is an error. */
    private static List<Ref> anyOrRefs(YamlFields y, String key) {
        List<Ref> refs = refs(y, key);
        boolean hasAny = false;
        for (Ref ref : refs) {
            hasAny |= ref.name().equals("any");
        }
        if (hasAny && refs.size() > 1) {
            y.diagnostics().error(y.at(key), y.object(), key, "mixes 'any' with names",
                    "write either 'any' or the list of names");
        }
        return hasAny ? List.of() : refs;
    }

    /**
     * Loops, not streams, here and in {@link #anyOrRefs}: they run three times for every rule, and
     * setting up the streams took more of a 10,000-rule load than the references themselves.
     */
    private static List<Ref> refs(YamlFields y, String key) {
        List<Scalar> scalars = y.scalars(key);
        Ref[] refs = new Ref[scalars.size()];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = new Ref(scalars.get(i).text(), scalars.get(i).at());
        }
        return List.of(refs);
    }

    private static <T> Optional<T> keyword(YamlFields y, String field, Scalar s, T[] values, Function<T, String> keyword) {
        for (T v : values) {
            if (keyword.apply(v).equals(s.text())) {
                return Optional.of(v);
            }
        }
        List<String> allowed = Arrays.stream(values).map(keyword).toList();
        y.diagnostics().error(s.at(), y.object(), field, "'" + s.text() + "' is not one of " + String.join(", ", allowed),
                Suggestions.fix(s.text(), allowed, "use one of " + String.join(", ", allowed)));
        return Optional.empty();
    }
}
