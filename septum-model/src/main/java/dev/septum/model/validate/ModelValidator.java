package dev.septum.model.validate;

import dev.septum.model.Action;
import dev.septum.model.DerivedNames;
import dev.septum.model.Device;
import dev.septum.model.Direction;
import dev.septum.model.Group;
import dev.septum.model.IpFamily;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.Ref;
import dev.septum.model.RedirectObject;
import dev.septum.model.Role;
import dev.septum.model.Rule;
import dev.septum.model.SecondThread;
import dev.septum.model.SecurityDomain;
import dev.septum.model.Service;
import dev.septum.model.SourceLocation;
import java.util.concurrent.CompletableFuture;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Checks what a single object cannot check alone: references, names that EOS would reject or that
 * could inject CLI lines, name clashes inside the one traffic-policy a VRF gets, and rules that
 * can never match because their groups share no address family.
 */
public final class ModelValidator {
    /** EOS's built-in matches; a rule may not take their names. */
    static final Set<String> RESERVED_MATCHES = Set.of("ipv4-all-default", "ipv6-all-default");

    private final PolicyModel model;
    private final Predicate<String> definedUnseen;
    private final boolean resolved;
    private final Diagnostics out = new Diagnostics();

    private ModelValidator(PolicyModel model, Predicate<String> definedUnseen, boolean resolved) {
        this.model = model;
        this.definedUnseen = definedUnseen;
        this.resolved = resolved;
    }

    public static List<Diagnostic> validate(PolicyModel model) {
        return validate(model, name -> false);
    }

    /**
     * @param definedUnseen whether a name may be defined in text the loader could not read (a file
     *                      that is not valid YAML): a reference to such a name is not reported, as
     *                      the parse error explains it
     */
    public static List<Diagnostic> validate(PolicyModel model, Predicate<String> definedUnseen) {
        return run(new ModelValidator(model, definedUnseen, false));
    }

    /**
     * Validates a model whose dynamic groups hold the members a build resolved: what depends on
     * members (empty groups, address families, derived names) is checked for them too, where
     * {@link #validate} leaves it open because the members are not known yet.
     */
    public static List<Diagnostic> validateResolved(PolicyModel model) {
        return run(new ModelValidator(model, name -> false, true));
    }

    /**
     * The checks of derived EOS names read only the model, so they run on a second thread while the
     * rest is checked on this one (on a 10,000-rule policy they are about 40 % of the validation).
     * Their findings come after this thread's, in the order one thread would have found them.
     */
    private static List<Diagnostic> run(ModelValidator v) {
        PolicyModel model = v.model;
        ModelValidator derived = new ModelValidator(model, v.definedUnseen, v.resolved);
        CompletableFuture<List<Diagnostic>> derivedNames = SecondThread.start("septum-validate-names", () -> {
            derived.matchNamesPerVrf();
            FieldSetNames.check(model, derived.out);
            return derived.out.sorted();
        });
        v.names();
        v.domains();
        v.monitors();
        v.redirects();
        model.policies().values().forEach(v::policy);
        v.out.addAll(SecondThread.join(derivedNames));
        return v.out.sorted();
    }

    private void names() {
        checkNames("domain", model.domains().values(), SecurityDomain::name, SecurityDomain::at);
        checkNames("device", model.devices().values(), Device::name, Device::at);
        checkNames("group", model.groups().values(), Group::name, Group::at);
        checkNames("service", model.services().values(), Service::name, Service::at);
        checkNames("redirect", model.redirects().values(), r -> r.name(), r -> r.at());
        checkNames("monitor", model.monitors().values(), m -> m.name(), m -> m.at());
        checkNames("policy", model.policies().values(), Policy::name, Policy::at);
        for (Group g : model.groups().values()) {
            if (g.members().isEmpty() && membersKnown(g)) {
                out.warning(g.at(), "group '" + g.name() + "'", "prefixes", "has no members, so rules using it never match",
                        "add prefixes or hosts, or remove the group");
            }
            g.categories().forEach((k, val) -> {
                name(g.at(), "group '" + g.name() + "'", "categories", k);
                name(g.at(), "group '" + g.name() + "'", "categories", val);
            });
        }
    }

    private boolean membersKnown(Group g) {
        return resolved || !g.dynamic();
    }

    private boolean membersKnown(Rule r) {
        return allGroups(r, this::membersKnown);
    }

    /** Whether every group on either side passes; a loop, not a stream, because every rule asks. */
    private boolean allGroups(Rule r, Predicate<Group> test) {
        for (List<Ref> side : List.of(r.sources(), r.destinations())) {
            for (Ref ref : side) {
                if (!test.test(model.groups().get(ref.name()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private <T> void checkNames(String kind, Collection<T> objects, Function<T, String> name,
                                Function<T, SourceLocation> at) {
        for (T o : objects) {
            name(at.apply(o), kind + " '" + name.apply(o) + "'", "name", name.apply(o));
        }
    }

    private void name(SourceLocation at, String object, String field, String name) {
        NameRules.nameProblem(name).ifPresent(p -> out.error(at, object, field, p,
                "rename it using letters, digits, '_', '-' and '.'"));
    }

    private void description(SourceLocation at, String object, String text) {
        NameRules.descriptionProblem(text).ifPresent(p -> out.error(at, object, "description", p,
                "write the description on one line of at most " + NameRules.MAX_DESCRIPTION + " characters"));
    }

    private void domains() {
        Map<String, String> domainOfDevice = new HashMap<>();
        for (SecurityDomain d : model.domains().values()) {
            String object = "domain '" + d.name() + "'";
            for (Ref r : d.devices()) {
                reference(r, object, "devices", "device", model.devices().keySet());
                String earlier = domainOfDevice.putIfAbsent(r.name(), d.name());
                if (earlier != null && !earlier.equals(d.name())) {
                    out.error(r.at(), object, "devices", "device '" + r.name() + "' is already in domain '" + earlier + "'",
                            "a device belongs to one security domain; remove it from one of them");
                }
            }
            for (String vrf : d.vrfs()) {
                name(d.at(), object, "vrfs", vrf);
            }
        }
    }

    private void redirects() {
        model.redirects().values().forEach(r -> r.routerPort().ifPresent(port ->
                NameRules.linuxInterfaceProblem(port).ifPresent(p -> out.error(r.at(), "redirect '" + r.name() + "'",
                        "router-port", p, "name the Linux router's interface toward the next hops, e.g. 'router-port: eth1'"))));
    }

    private void monitors() {
        model.monitors().values().forEach(m -> {
            String object = "monitor '" + m.name() + "'";
            name(m.at(), object, "exporter-interface", m.exporterInterface());
            name(m.at(), object, "tunnel-source-interface", m.tunnelSourceInterface());
            for (Ref node : m.monitorNodes()) {
                if (reference(node, object, "nodes", "device", model.devices().keySet())
                        && model.devices().get(node.name()).role() != Role.MONITOR) {
                    out.error(node.at(), object, "nodes", "device '" + node.name() + "' is not a monitor node",
                            "set 'role: monitor' on that device, or name a monitor node");
                }
            }
        });
    }

    private void policy(Policy p) {
        String object = "policy '" + p.name() + "'";
        description(p.at(), object, p.description());
        if (reference(p.domain(), object, "domain", "domain", model.domains().keySet())) {
            List<String> vrfs = model.domains().get(p.domain().name()).vrfs();
            if (!vrfs.contains(p.vrf().name())) {
                out.error(p.vrf().at(), object, "vrf", "VRF '" + p.vrf().name() + "' is not in domain '"
                                + p.domain().name() + "'",
                        Suggestions.fix(p.vrf().name(), vrfs, "use one of " + String.join(", ", vrfs)));
            }
        }
        Map<String, Rule> seen = new HashMap<>();
        for (Rule r : p.rules()) {
            Rule first = seen.putIfAbsent(r.name(), r);
            if (first != null) {
                out.error(r.at(), "rule '" + r.name() + "' in " + object, "name",
                        "is used twice in the policy (first at " + first.at() + ")", "give each rule its own name");
            }
            rule(r, object);
        }
    }

    private void rule(Rule r, String policyObject) {
        String object = "rule '" + r.name() + "' in " + policyObject;
        name(r.at(), object, "name", r.name());
        if (RESERVED_MATCHES.contains(r.name())) {
            out.error(r.at(), object, "name", "is the name of an EOS built-in match", "choose another name");
        }
        description(r.at(), object, r.description());
        boolean groupsKnown = true;
        for (Ref g : r.sources()) {
            groupsKnown &= reference(g, object, "sources", "group", model.groups().keySet());
        }
        for (Ref g : r.destinations()) {
            groupsKnown &= reference(g, object, "destinations", "group", model.groups().keySet());
        }
        for (Ref s : r.services()) {
            reference(s, object, "services", "service", model.services().keySet());
        }
        r.monitor().ifPresent(m -> reference(m, object, "monitor", "monitor", model.monitors().keySet()));
        if (r.action() instanceof Action.Redirect(Ref target)) {
            if (reference(target, object, "redirect", "redirect", model.redirects().keySet()) && groupsKnown) {
                redirectFamilies(r, object, model.redirects().get(target.name()));
            }
            if (r.direction() == Direction.BI) {
                out.warning(r.at(), object, "direction", "redirects both directions statelessly",
                        "make sure the firewall behind the redirect object sees both directions");
            }
        }
        if (groupsKnown && membersKnown(r)) {
            families(r, object);
        }
        if (r.decap() != dev.septum.model.DecapType.ALLOW_ALL) {
            out.warning(r.at(), object, "decap", "decap type " + r.decap().keyword() + " is kept in the plan but not "
                    + "rendered yet: EOS devices apply the rule as allow-all", "use decap: allow-all, or check the "
                    + "switch's VXLAN handling by hand");
        }
    }

    /**
     * A redirect can only apply in the families its object has next hops for: the rule skips the
     * others (warning), and a rule left with no family at all is an error.
     */
    private void redirectFamilies(Rule r, String object, RedirectObject redirect) {
        Set<IpFamily> families = model.families(r);
        List<IpFamily> missing = families.stream()
                .filter(f -> redirect.nextHops().stream().noneMatch(f::contains)).toList();
        for (IpFamily family : missing) {
            String problem = "matches " + family.keyword() + " traffic but redirect '" + redirect.name()
                    + "' has no " + family.keyword() + " next hop";
            String fix = "add an " + family.keyword() + " next hop to the redirect object, or narrow the rule's groups";
            if (missing.size() == families.size()) {
                out.error(r.at(), object, "redirect", problem, fix);
            } else {
                out.warning(r.at(), object, "redirect", problem + ", so " + family.keyword() + " traffic skips this rule", fix);
            }
        }
    }

    /** A rule renders one match per address family both its sides have; none means it never matches. */
    private void families(Rule r, String object) {
        boolean usesEmptyGroup = !allGroups(r, g -> !g.members().isEmpty());
        if (model.families(r).isEmpty() && !usesEmptyGroup) { // an empty group is warned about on its own
            out.error(r.at(), object, r.sources().isEmpty() ? "destinations" : "sources",
                    "sources and destinations share no address family (e.g. IPv4 groups towards IPv6 groups), "
                            + "so the rule can never match",
                    "use groups with members of the same family on both sides");
        }
    }

    /**
     * EOS gets one traffic-policy per VRF holding the rules of every policy bound to it, so rule
     * names (and their {@code -ipv6} and {@code -reverse} twins) must be unique across those policies.
     */
    private void matchNamesPerVrf() {
        Map<String, Map<String, Rule>> byVrf = new HashMap<>();
        for (Policy p : model.policies().values()) {
            Map<String, Rule> names = byVrf.computeIfAbsent(p.domain().name() + "\u0000" + p.vrf().name(), k -> new HashMap<>());
            for (Rule r : p.rules()) {
                for (String m : DerivedNames.matches(model, r)) {
                    Rule other = names.putIfAbsent(m, r);
                    if (other != null && other != r && !(other.name().equals(r.name()) && p.rules().contains(other))) {
                        out.error(r.at(), "rule '" + r.name() + "' in policy '" + p.name() + "'", "name",
                                "becomes EOS match '" + m + "', which rule '" + other.name() + "' at " + other.at()
                                        + " in the same domain and VRF also produces",
                                "rename one of the rules");
                        break; // one error per pair of rules, not one per derived match
                    }
                }
            }
        }
    }

    /** Reports an unknown name with the closest known one; true when the reference resolves. */
    private boolean reference(Ref ref, String object, String field, String kind, Set<String> known) {
        if (known.contains(ref.name())) {
            return true;
        }
        if (definedUnseen.test(ref.name())) {
            return false;
        }
        out.error(ref.at(), object, field, "no " + kind + " is named '" + ref.name() + "'",
                Suggestions.fix(ref.name(), known, known.isEmpty()
                        ? "define the " + kind + " first" : "use one of " + String.join(", ", known.stream().sorted().limit(8).toList())));
        return false;
    }
}
