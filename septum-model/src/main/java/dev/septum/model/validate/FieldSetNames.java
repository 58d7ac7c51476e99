package dev.septum.model.validate;

import dev.septum.model.DerivedNames;
import dev.septum.model.Direction;
import dev.septum.model.Group;
import dev.septum.model.IpFamily;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.Ref;
import dev.septum.model.Rule;
import dev.septum.model.Service;
import dev.septum.model.SourceLocation;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field-sets are named after groups and services, and the plan derives more names from them
 * ({@code web-ipv6}, {@code HTTP-reverse}). Two origins with one field-set name would share one
 * set on the device, and one of them would silently get the other's members or ports: refused.
 */
final class FieldSetNames {
    /**
     * One field-set a rule needs: the group or service it belongs to and which part of it. Every
     * reference of every rule claims one, so the texts a diagnostic shows are only made for a clash.
     */
    private record Origin(String kind, String owner, String part, SourceLocation at, boolean derived) {
        boolean sameOwner(Origin other) {
            return kind.equals(other.kind) && owner.equals(other.owner);
        }

        String object() {
            return kind + " '" + owner + "'";
        }

        String describes() {
            return "the " + part + " of " + object();
        }
    }

    private static final Map<IpFamily, String> MEMBERS = new EnumMap<>(IpFamily.class);

    static {
        for (IpFamily f : IpFamily.values()) {
            MEMBERS.put(f, f.keyword() + " members");
        }
    }

    private final Diagnostics out;
    private final Map<String, Origin> prefixSets = new LinkedHashMap<>();
    private final Map<String, Origin> serviceSets = new LinkedHashMap<>();

    private FieldSetNames(Diagnostics out) {
        this.out = out;
    }

    static void check(PolicyModel model, Diagnostics out) {
        FieldSetNames names = new FieldSetNames(out);
        for (Policy p : model.policies().values()) {
            for (Rule r : p.rules()) {
                for (List<Ref> side : List.of(r.sources(), r.destinations())) {
                    for (Ref ref : side) {
                        Group g = model.groups().get(ref.name());
                        if (g != null) {
                            for (IpFamily f : IpFamily.values()) {
                                if (g.hasFamily(f)) {
                                    String name = DerivedNames.prefixSet(g, f);
                                    names.claim(names.prefixSets, name,
                                            new Origin("group", g.name(), MEMBERS.get(f), g.at(), !name.equals(g.name())));
                                }
                            }
                        }
                    }
                }
                for (Ref ref : r.services()) {
                    Service s = model.services().get(ref.name());
                    if (s != null) {
                        names.claim(names.serviceSets, s.name(), new Origin("service", s.name(), "ports", s.at(), false));
                        if (r.direction() == Direction.BI) {
                            names.claim(names.serviceSets, DerivedNames.serviceSet(s.name(), true),
                                    new Origin("service", s.name(), "reply ports", s.at(), true));
                        }
                    }
                }
            }
        }
    }

    private void claim(Map<String, Origin> names, String name, Origin origin) {
        Origin first = names.putIfAbsent(name, origin);
        if (first != null && !first.sameOwner(origin)) {
            Origin user = first.derived() ? origin : first;
            out.error(user.at(), user.object(), "name", "field-set '" + name + "' would hold both " + first.describes()
                    + " and " + origin.describes(), "rename " + user.object() + " (names ending in "
                    + DerivedNames.IPV6 + " or " + DerivedNames.REVERSE + " are derived by Septum)");
        }
    }
}
