package dev.septum.model.write;

import dev.septum.model.Action;
import dev.septum.model.Device;
import dev.septum.model.Group;
import dev.septum.model.MonitorObject;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.RedirectObject;
import dev.septum.model.Ref;
import dev.septum.model.Rule;
import dev.septum.model.SecurityDomain;
import dev.septum.model.Service;
import dev.septum.model.SourceLocation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.function.UnaryOperator;

/** A model with every source position set to one value, so two models compare by content alone. */
final class Unlocated {
    private static final SourceLocation NOWHERE = SourceLocation.of("");

    private Unlocated() {
    }

    static PolicyModel of(PolicyModel m) {
        return new PolicyModel(
                each(m.domains(), d -> new SecurityDomain(d.name(), refs(d.devices()), d.vrfs(), NOWHERE)),
                each(m.devices(), d -> new Device(d.name(), d.platform(), d.role(), d.model(), d.management(), d.loopback(),
                        d.tags(), NOWHERE)),
                each(m.groups(), g -> new Group(g.name(), g.members(), g.categories(), NOWHERE)),
                each(m.services(), s -> new Service(s.name(), s.entries(), NOWHERE)),
                each(m.redirects(), r -> new RedirectObject(r.name(), r.nextHops(), r.routerPort(), NOWHERE)),
                each(m.monitors(), o -> new MonitorObject(o.name(), o.exporterInterface(), o.activeTimeoutMs(),
                        o.tunnelDestination(), o.tunnelSourceInterface(), o.rateLimitMbps(), o.truncate(),
                        refs(o.monitorNodes()), NOWHERE)),
                each(m.policies(), p -> new Policy(p.name(), p.description(), p.id(), ref(p.domain()), ref(p.vrf()),
                        p.priority(), p.rules().stream().map(Unlocated::rule).toList(), NOWHERE)));
    }

    private static Rule rule(Rule r) {
        Action action = r.action() instanceof Action.Redirect redirect ? new Action.Redirect(ref(redirect.target())) : r.action();
        return new Rule(r.name(), r.description(), refs(r.sources()), refs(r.destinations()), refs(r.services()),
                r.direction(), r.decap(), action, r.monitor().map(Unlocated::ref), r.enabled(), NOWHERE, r.lifecycle());
    }

    private static Ref ref(Ref r) {
        return new Ref(r.name(), NOWHERE);
    }

    private static List<Ref> refs(List<Ref> refs) {
        return refs.stream().map(Unlocated::ref).toList();
    }

    private static <T> SequencedMap<String, T> each(SequencedMap<String, T> objects, UnaryOperator<T> unlocated) {
        SequencedMap<String, T> out = new LinkedHashMap<>();
        objects.forEach((name, o) -> out.put(name, unlocated.apply(o)));
        return out;
    }
}
