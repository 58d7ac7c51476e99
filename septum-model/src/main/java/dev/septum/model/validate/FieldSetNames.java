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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Field-sets are named after groups and services, and the plan derives more names from them
 * ({@code web-ipv6}, {@code HTTP-reverse}). Two origins with one field-set name would share one
 * set on the device, and one of them would silently get the other's members or ports: refused.
 */
final class FieldSetNames {
    /** One field-set a rule needs: who it belongs to, as a user reads it. */
    private record Origin(String describes, SourceLocation at, String object, boolean derived) {
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
                for (Ref ref : concat(r)) {
                    Group g = model.groups().get(ref.name());
                    if (g != null) {
                        for (IpFamily f : IpFamily.values()) {
                            if (g.hasFamily(f)) {
                                String name = DerivedNames.prefixSet(g, f);
                                names.claim(names.prefixSets, name, new Origin("the " + f.keyword() + " members of group '"
                                        + g.name() + "'", g.at(), "group '" + g.name() + "'", !name.equals(g.name())));
                            }
                        }
                    }
                }
                for (Ref ref : r.services()) {
                    Service s = model.services().get(ref.name());
                    if (s != null) {
                        names.claim(names.serviceSets, s.name(), new Origin("the ports of service '" + s.name() + "'", s.at(),
                                "service '" + s.name() + "'", false));
                        if (r.direction() == Direction.BI) {
                            names.claim(names.serviceSets, DerivedNames.serviceSet(s.name(), true), new Origin(
                                    "the reply ports of service '" + s.name() + "'", s.at(), "service '" + s.name() + "'", true));
                        }
                    }
                }
            }
        }
    }

    private static java.util.List<Ref> concat(Rule r) {
        java.util.List<Ref> refs = new java.util.ArrayList<>(r.sources());
        refs.addAll(r.destinations());
        return refs;
    }

    private void claim(Map<String, Origin> names, String name, Origin origin) {
        Origin first = names.putIfAbsent(name, origin);
        if (first != null && !first.object().equals(origin.object())) {
            Origin user = first.derived() ? origin : first;
            out.error(user.at(), user.object(), "name", "field-set '" + name + "' would hold both " + first.describes()
                    + " and " + origin.describes(), "rename " + user.object() + " (names ending in "
                    + DerivedNames.IPV6 + " or " + DerivedNames.REVERSE + " are derived by Septum)");
        }
    }
}
