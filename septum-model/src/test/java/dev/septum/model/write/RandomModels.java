package dev.septum.model.write;

import dev.septum.model.Action;
import dev.septum.model.DecapType;
import dev.septum.model.Device;
import dev.septum.model.Direction;
import dev.septum.model.Group;
import dev.septum.model.IcmpMatch;
import dev.septum.model.IcmpTypes;
import dev.septum.model.MonitorObject;
import dev.septum.model.Platform;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.PortItem;
import dev.septum.model.PortNames;
import dev.septum.model.PortSpec;
import dev.septum.model.Protocol;
import dev.septum.model.RedirectObject;
import dev.septum.model.Ref;
import dev.septum.model.Role;
import dev.septum.model.Rule;
import dev.septum.model.RuleLifecycle;
import dev.septum.model.SecurityDomain;
import dev.septum.model.Service;
import dev.septum.model.ServiceEntry;
import dev.septum.model.SourceLocation;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.SequencedMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Random models with every kind of object and every field, in the form the loader gives (hosts
 * of groups as /32 or /128, other addresses without a length), whose names and texts include
 * strings that look like YAML syntax, numbers, booleans or nulls. Unresolved references are fine:
 * the writer writes what the model holds, valid or not.
 */
final class RandomModels {
    private static final SourceLocation AT = SourceLocation.of("random");
    private static final String[] NAMES = {"web", "true", "null", "123", "1.5", "0x1F", "1e3", "no", "Yes", "ALL",
        "web-01", "a.b", "a_b", "007", "x"};
    private static final String[] TEXTS = {"plain words", "yes", "null", "~", "false", "42", "3.14", "a: b", "# not a comment",
        "- dash", "[x, y]", "{k: v}", "'single'", "\"double\"", "trailing ", " leading", "ünïcødé ✓", "a, b", "*alias",
        "&anchor", "!tag", "%percent", "@at", "`tick`", "| bar", "> fold", "tab\there", "two  spaces", "back\\slash"};

    private final Random r;

    private RandomModels(long seed) {
        this.r = new Random(seed);
    }

    static PolicyModel model(long seed) {
        return new RandomModels(seed).model();
    }

    private PolicyModel model() {
        SequencedMap<String, Device> devices = named(4, n -> new Device(n, pick(Platform.values()), pick(Role.values()),
                text(), maybe(this::host), maybe(this::host), names(3), AT));
        return new PolicyModel(
                named(2, n -> new SecurityDomain(n, refs(3), names(3), AT)),
                devices,
                named(5, n -> new Group(n, members(), categories(), AT)),
                named(4, n -> new Service(n, entries(), AT)),
                named(2, n -> new RedirectObject(n, hosts(3), maybe(() -> "eth" + r.nextInt(4)), AT)),
                named(2, n -> new MonitorObject(n, text(), 1000 + r.nextInt(86_399_001), host(), text(),
                        1 + r.nextInt(10_000_000), r.nextBoolean(), refs(2), AT)),
                named(3, n -> new Policy(n, text(), r.nextBoolean() ? OptionalInt.of(1 + r.nextInt(Integer.MAX_VALUE))
                        : OptionalInt.empty(), ref(), ref(), r.nextInt(3) == 0 ? Policy.DEFAULT_PRIORITY : r.nextInt(1_000_001),
                        rules(), AT)));
    }

    private List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            Action action = switch (r.nextInt(3)) {
                case 0 -> new Action.Forward();
                case 1 -> new Action.Drop();
                default -> new Action.Redirect(ref());
            };
            rules.add(new Rule(name(), text(), refs(3), refs(3), refs(2), pick(Direction.values()), pick(DecapType.values()),
                    action, maybe(this::ref), r.nextBoolean(), AT, lifecycle()));
        }
        return rules;
    }

    /** Half the rules expire, each with an owner; some carry a ticket. */
    private RuleLifecycle lifecycle() {
        Optional<java.time.LocalDate> expires = maybe(() -> java.time.LocalDate.of(2026 + r.nextInt(3), 1 + r.nextInt(12), 1 + r.nextInt(28)));
        String owner = expires.isPresent() || r.nextBoolean() ? pick(new String[] {"net-team", "ops@example.com", "Åsa Berg"}) : "";
        return new RuleLifecycle(expires, owner, r.nextBoolean() ? "CHG-" + r.nextInt(10_000) : "", r.nextInt(4) == 0);
    }

    private List<ServiceEntry> entries() {
        List<ServiceEntry> entries = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            Protocol protocol = new Protocol(r.nextInt(3) == 0 ? r.nextInt(256) : pick(new Integer[] {6, 17, 132, 1, 58}));
            Optional<IcmpMatch> icmp = IcmpTypes.hasTypes(protocol) && r.nextBoolean()
                    ? Optional.of(new IcmpMatch(r.nextInt(256), r.nextBoolean() ? OptionalInt.of(r.nextInt(256)) : OptionalInt.empty()))
                    : Optional.empty();
            entries.add(protocol.hasPorts() ? new ServiceEntry(protocol, ports(), ports())
                    : new ServiceEntry(protocol, PortSpec.ALL, PortSpec.ALL, icmp));
        }
        return entries;
    }

    private PortSpec ports() {
        List<PortItem> items = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            int low = r.nextInt(65536);
            List<String> named = List.copyOf(PortNames.names());
            String name = named.get(r.nextInt(named.size()));
            items.add(switch (r.nextInt(3)) {
                case 0 -> new PortItem.Number(low);
                case 1 -> new PortItem.Range(low, low + r.nextInt(65536 - low));
                default -> new PortItem.Named(name, PortNames.port(name).orElseThrow());
            });
        }
        return new PortSpec(items);
    }

    private List<IPAddress> members() {
        List<IPAddress> members = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            boolean v4 = r.nextBoolean();
            int bits = v4 ? 32 : 128;
            int length = bits - r.nextInt(v4 ? 25 : 81);
            IPAddress block = address(v4).setPrefixLength(length, false).toPrefixBlock();
            members.add(length == bits ? block.setPrefixLength(bits, false) : block);
        }
        return members;
    }

    private List<IPAddress> hosts(int max) {
        List<IPAddress> hosts = new ArrayList<>();
        for (int i = 1 + r.nextInt(max); i > 0; i--) {
            hosts.add(host());
        }
        return hosts;
    }

    private IPAddress host() {
        return address(r.nextBoolean()).withoutPrefixLength();
    }

    /** Documentation ranges; IPv6 often ending in zeros, so its text ends in '::'. */
    private IPAddress address(boolean v4) {
        String text = v4 ? "192.0.2." + r.nextInt(256)
                : "2001:db8:" + Integer.toHexString(r.nextInt(65536)) + (r.nextBoolean() ? "::" : "::" + Integer.toHexString(r.nextInt(65536)));
        return new IPAddressString(text).getAddress();
    }

    private Map<String, String> categories() {
        Map<String, String> categories = new LinkedHashMap<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            categories.put(r.nextBoolean() ? name() : text(), text());
        }
        return categories;
    }

    private <T> SequencedMap<String, T> named(int max, Function<String, T> make) {
        SequencedMap<String, T> objects = new LinkedHashMap<>();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            String name = name();
            objects.putIfAbsent(name, make.apply(name));
        }
        return objects;
    }

    private String name() {
        String name = NAMES[r.nextInt(NAMES.length)];
        return r.nextBoolean() ? name : name + r.nextInt(10);
    }

    private String text() {
        return r.nextInt(4) == 0 ? "" : TEXTS[r.nextInt(TEXTS.length)];
    }

    private List<String> names(int max) {
        List<String> names = new ArrayList<>();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            names.add(name());
        }
        return names;
    }

    private Ref ref() {
        return new Ref(name(), AT);
    }

    private List<Ref> refs(int max) {
        return names(max).stream().map(n -> new Ref(n, AT)).toList();
    }

    private <T> Optional<T> maybe(Supplier<T> make) {
        return r.nextBoolean() ? Optional.of(make.get()) : Optional.empty();
    }

    private <T> T pick(T[] values) {
        return values[r.nextInt(values.length)];
    }
}
