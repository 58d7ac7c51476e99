package dev.septum.verify;

import dev.septum.model.Action;
import dev.septum.model.Device;
import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import dev.septum.model.Ref;
import dev.septum.model.Role;
import dev.septum.model.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Findings about objects rather than packets: empty groups, objects no rule uses, idle devices. */
final class ModelHygiene {
    private ModelHygiene() {
    }

    static List<Finding> findings(PolicyModel model) {
        Set<String> groups = new HashSet<>();
        Set<String> services = new HashSet<>();
        Set<String> redirects = new HashSet<>();
        Set<String> monitors = new HashSet<>();
        for (var policy : model.policies().values()) {
            for (Rule r : policy.rules()) {
                r.sources().forEach(g -> groups.add(g.name()));
                r.destinations().forEach(g -> groups.add(g.name()));
                r.services().forEach(s -> services.add(s.name()));
                r.monitor().ifPresent(m -> monitors.add(m.name()));
                if (r.action() instanceof Action.Redirect(Ref target)) {
                    redirects.add(target.name());
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Group g : model.groups().values()) {
            if (g.members().isEmpty()) {
                out.add(object(Level.WARNING, "empty-group", "group", g.name(), "has no members, so every rule naming it matches nothing"));
            }
        }
        unused(out, "group", model.groups().keySet(), groups);
        unused(out, "service", model.services().keySet(), services);
        unused(out, "redirect", model.redirects().keySet(), redirects);
        unused(out, "monitor", model.monitors().keySet(), monitors);
        for (Device d : model.devices().values()) {
            if (d.role() == Role.SWITCH && model.domainOf(d).isEmpty()) {
                out.add(object(Level.INFO, "idle-device", "device", d.name(), "is in no security domain, so it enforces nothing"));
            }
        }
        return out;
    }

    private static void unused(List<Finding> out, String kind, Set<String> defined, Set<String> used) {
        defined.stream().filter(n -> !used.contains(n)).forEach(n ->
                out.add(object(Level.INFO, "unused", kind, n, "is not used by any rule")));
    }

    private static Finding object(Level level, String kind, String objectKind, String name, String message) {
        return new Finding(level, kind, objectKind + "s", objectKind + " " + name, message, List.of(), Optional.empty());
    }
}
