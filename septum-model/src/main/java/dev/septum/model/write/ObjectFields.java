package dev.septum.model.write;

import dev.septum.model.Action;
import dev.septum.model.DecapType;
import dev.septum.model.Device;
import dev.septum.model.Group;
import dev.septum.model.IcmpTypes;
import dev.septum.model.MonitorObject;
import dev.septum.model.Policy;
import dev.septum.model.PolicyObject;
import dev.septum.model.PortItem;
import dev.septum.model.PortSpec;
import dev.septum.model.Protocol;
import dev.septum.model.RedirectObject;
import dev.septum.model.Ref;
import dev.septum.model.Rule;
import dev.septum.model.SecurityDomain;
import dev.septum.model.Service;
import dev.septum.model.ServiceEntry;
import inet.ipaddr.IPAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model object as the fields of its YAML mapping, in the order the examples write them. Fields
 * that hold their default (no description, {@code any}, priority 1000, an enabled rule, all ports)
 * are left out, so the text says only what was chosen; reading it back gives the same object.
 */
public final class ObjectFields {
    private ObjectFields() {
    }

    /** The top-level section an object is an item of ({@code groups}, ...), or {@code rules} for a rule. */
    public static String sectionKey(PolicyObject object) {
        return switch (object) {
            case SecurityDomain d -> "domains";
            case Device d -> "devices";
            case Group g -> "groups";
            case Service s -> "services";
            case RedirectObject r -> "redirects";
            case MonitorObject m -> "monitors";
            case Policy p -> "policies";
            case Rule r -> "rules";
        };
    }

    /** The object's fields; throws {@link IllegalArgumentException} for a value no YAML text could give back. */
    public static Map<String, Object> of(PolicyObject object) {
        Fields f = new Fields(object).put("name", object.name());
        switch (object) {
            case SecurityDomain d -> f.list("devices", names(d.devices())).list("vrfs", d.vrfs());
            case Device d -> f.put("platform", d.platform().keyword()).put("role", d.role().keyword())
                    .text("model", d.model()).opt("management", d.management().map(ObjectFields::host).orElse(null))
                    .opt("loopback", d.loopback().map(ObjectFields::host).orElse(null)).list("tags", d.tags());
            case Group g -> f.opt("prefixes", g.dynamic() && g.members().isEmpty() ? null
                            : g.members().stream().map(ObjectFields::prefix).toList())
                    .opt("categories", g.categories().isEmpty() ? null : new TreeMap<>(g.categories()))
                    .opt("source", g.source().map(GroupSourceFields::of).orElse(null))
                    .opt("auto-apply", g.autoApply().map(a -> Map.of("max-changed", a.maxChanged())).orElse(null));
            case Service s -> service(f, s);
            case RedirectObject r -> f.put("next-hops", r.nextHops().stream().map(ObjectFields::host).toList())
                    .opt("router-port", r.routerPort().orElse(null));
            case MonitorObject m -> f.put("exporter-interface", m.exporterInterface())
                    .put("active-timeout-ms", m.activeTimeoutMs()).put("tunnel-destination", host(m.tunnelDestination()))
                    .put("tunnel-source-interface", m.tunnelSourceInterface()).put("rate-limit-mbps", m.rateLimitMbps())
                    .put("truncate", m.truncate()).list("nodes", names(m.monitorNodes()));
            case Policy p -> f.text("description", p.description())
                    .opt("id", p.id().isPresent() ? p.id().getAsInt() : null).put("domain", p.domain().name())
                    .put("vrf", p.vrf().name()).opt("priority", p.priority() == Policy.DEFAULT_PRIORITY ? null : p.priority())
                    .put("rules", p.rules().stream().map(ObjectFields::of).toList());
            case Rule r -> rule(f, r);
        }
        return f.fields;
    }

    private static void service(Fields f, Service s) {
        if (s.entries().size() == 1) {
            entry(f, s.entries().getFirst());
        } else {
            f.put("entries", s.entries().stream().map(e -> entry(new Fields(s), e).fields).toList());
        }
    }

    private static Fields entry(Fields f, ServiceEntry e) {
        String keyword = e.protocol().keyword();
        return f.put("protocol", Protocol.names().contains(keyword) ? keyword : e.protocol().number()).opt("source", ports(e.sourcePorts()))
                .opt("destination", ports(e.destinationPorts()))
                .opt("icmp-type", e.icmp().map(i -> IcmpTypes.typeName(e.protocol(), i.type()).<Object>map(n -> n).orElse(i.type()))
                        .orElse(null))
                .opt("icmp-code", e.icmp().filter(i -> i.code().isPresent()).map(i -> i.code().getAsInt()).orElse(null));
    }

    private static void rule(Fields f, Rule r) {
        f.text("description", r.description()).sides("sources", r.sources())
                .sides("destinations", r.destinations()).sides("services", r.services())
                .put("direction", r.direction().keyword())
                .opt("decap", r.decap() == DecapType.ALLOW_ALL ? null : r.decap().keyword())
                .put("action", r.action().keyword())
                .opt("redirect", r.action() instanceof Action.Redirect redirect ? redirect.target().name() : null)
                .opt("monitor", r.monitor().map(Ref::name).orElse(null))
                .opt("enabled", r.enabled() ? null : false)
                .opt("expires", r.lifecycle().expires().map(Object::toString).orElse(null))
                .opt("owner", r.lifecycle().owner().isEmpty() ? null : r.lifecycle().owner())
                .opt("ticket", r.lifecycle().ticket().isEmpty() ? null : r.lifecycle().ticket())
                .opt("mode", r.lifecycle().staged() ? "staged" : null);
    }

    /** One port or range as a scalar, several as a list; {@code all} as no field at all. */
    private static Object ports(PortSpec ports) {
        List<Object> items = ports.items().stream().<Object>map(i -> switch (i) {
            case PortItem.Number n -> n.port();
            case PortItem.Range r -> r.low() + "-" + r.high();
            case PortItem.Named n -> n.name();
        }).toList();
        return switch (items.size()) {
            case 0 -> null;
            case 1 -> items.getFirst();
            default -> items;
        };
    }

    private static List<String> names(List<Ref> refs) {
        return refs.stream().map(Ref::name).toList();
    }

    /** A host as the examples write it, without the /32 or /128. */
    private static String host(IPAddress address) {
        return address.withoutPrefixLength().toCanonicalString();
    }

    private static String prefix(IPAddress address) {
        Integer length = address.getNetworkPrefixLength();
        return length == null || length == address.getBitCount() ? host(address) : address.toCanonicalString();
    }

    /** A mapping being built for an object (or a part of it), which the errors name. */
    private static final class Fields {
        final Map<String, Object> fields = new LinkedHashMap<>();
        private final PolicyObject object;

        Fields(PolicyObject object) {
            this.object = object;
        }

        Fields put(String key, Object value) {
            fields.put(key, value);
            return this;
        }

        Fields opt(String key, Object value) {
            return value == null ? this : put(key, value);
        }

        Fields text(String key, String value) {
            return value.isEmpty() ? this : put(key, value);
        }

        /**
         * A list of names, left out when empty. The loader splits list items at commas and trims
         * them, so an item like that would come back as something else.
         */
        Fields list(String key, List<String> items) {
            items.stream().filter(i -> i.isBlank() || i.contains(",") || !i.strip().equals(i)).findFirst()
                    .ifPresent(i -> unwritable(key, i));
            return items.isEmpty() ? this : put(key, items);
        }

        /** A rule side: no names means any, and a name {@code any} would read back as any. */
        Fields sides(String key, List<Ref> refs) {
            refs.stream().filter(r -> r.name().equals("any")).findFirst().ifPresent(r -> unwritable(key, r.name()));
            return list(key, names(refs));
        }

        private void unwritable(String key, String item) {
            throw new IllegalArgumentException(sectionKey(object) + " '" + object.name() + "': " + key + " item '" + item
                    + "' cannot be written: the loader would not read it back as that one name");
        }
    }
}
