package dev.septum.compile.plan;

import dev.septum.model.Action;
import dev.septum.model.DerivedNames;
import dev.septum.model.Direction;
import dev.septum.model.IpFamily;
import dev.septum.model.PolicyModel;
import dev.septum.model.RedirectObject;
import dev.septum.model.Ref;
import dev.septum.model.Rule;
import java.util.ArrayList;
import java.util.Optional;
import java.util.List;
import java.util.Set;

/**
 * Turns one rule into its ordered matches: one per address family both sides have, and for a
 * bidirectional rule a {@code -reverse} match right after, with the sides and service ports swapped.
 */
final class MatchExpander {
    /** MSS names a monitor object's mirror session {@code <monitor>-ALL}. */
    static final String MIRROR_SUFFIX = "-ALL";

    private final PolicyModel model;
    private final FieldSetRegistry fieldSets;

    MatchExpander(PolicyModel model, FieldSetRegistry fieldSets) {
        this.model = model;
        this.fieldSets = fieldSets;
    }

    List<MatchEntry> expand(String policy, Rule rule) {
        Set<IpFamily> families = model.families(rule);
        List<MatchEntry> matches = new ArrayList<>();
        for (IpFamily family : families) {
            String name = DerivedNames.match(rule, family, families);
            List<String> sources = prefixSets(rule.sources(), family);
            List<String> destinations = prefixSets(rule.destinations(), family);
            MatchAction action = action(rule, family);
            if (action instanceof MatchAction.Redirect redirect && redirect.nextHops().isEmpty()) {
                continue; // no next hop in this family: the rule does not apply here (validation warns)
            }
            Optional<String> mirror = rule.monitor().map(m -> m.name() + MIRROR_SUFFIX);
            matches.add(new MatchEntry(name, family, policy, rule.name(), rule.description(), false, sources,
                    destinations, serviceSets(rule, false), rule.decap(), action, mirror, rule.lifecycle().staged()));
            if (rule.direction() == Direction.BI) {
                matches.add(new MatchEntry(DerivedNames.reverseMatch(name), family, policy, rule.name(), rule.description(), true,
                        destinations, sources, serviceSets(rule, true), rule.decap(), action,
                        mirror, rule.lifecycle().staged()));
            }
        }
        return matches;
    }

    /**
     * Loops, not streams, here and in {@link #serviceSets}: they run for every side and family of
     * every rule, and on a 10,000-rule policy setting up the streams was a third of planning.
     */
    private List<String> prefixSets(List<Ref> groups, IpFamily family) {
        List<String> sets = new ArrayList<>(groups.size());
        for (Ref g : groups) {
            if (model.groups().get(g.name()).hasFamily(family)) {
                sets.add(fieldSets.prefixSet(g.name(), family));
            }
        }
        return List.copyOf(sets);
    }

    private List<String> serviceSets(Rule rule, boolean reverse) {
        String[] sets = new String[rule.services().size()];
        for (int i = 0; i < sets.length; i++) {
            sets[i] = fieldSets.serviceSet(rule.services().get(i).name(), reverse);
        }
        return List.of(sets);
    }

    private MatchAction action(Rule rule, IpFamily family) {
        return switch (rule.action()) {
            case Action.Forward f -> new MatchAction.Forward();
            case Action.Drop d -> new MatchAction.Drop();
            case Action.Redirect(Ref target) -> {
                RedirectObject redirect = model.redirects().get(target.name());
                yield new MatchAction.Redirect(target.name(),
                        redirect.nextHops().stream().filter(family::contains).toList(), redirect.routerPort());
            }
        };
    }
}
