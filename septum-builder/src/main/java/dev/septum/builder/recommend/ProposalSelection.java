package dev.septum.builder.recommend;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import dev.septum.model.Ref;
import dev.septum.model.Rule;
import dev.septum.model.Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The seed's "submit rules": some of a proposal's rules, perhaps renamed, written as the files
 * that add them (and only the new groups and services they use) to the policy the run was on.
 * A subset of proven rules allows a subset of what the whole proposal allows, in the same place,
 * so the placement still holds; the workspace's build shows the semantic diff again.
 */
public final class ProposalSelection {
    private ProposalSelection() {
    }

    /**
     * The model objects of a proposal read back from its files joined to the policy's (a stored
     * run keeps the proposal as JSON and files, not as objects); empty when they no longer load
     * together or lack one of the proposal's rules, groups or services.
     */
    public static Optional<Recommendation.Objects> objects(Map<String, String> policyFiles, Recommendation r) {
        Map<String, String> combined = new TreeMap<>(policyFiles);
        combined.putAll(r.files());
        PolicyBuild build = PolicyBuild.of(PolicySource.files("the run's policy with its proposal", combined));
        PolicyModel m = build.model();
        if (!build.ok() || !m.policies().containsKey(r.placement().policy())) {
            return Optional.empty();
        }
        Map<String, Rule> byName = new HashMap<>();
        m.policies().get(r.placement().policy()).rules().forEach(x -> byName.put(x.name(), x));
        List<Rule> rules = r.rules().stream().map(x -> byName.get(x.name())).toList();
        List<Group> groups = r.newGroups().stream().map(m.groups()::get).toList();
        List<Service> services = r.newServices().stream().map(m.services()::get).toList();
        if (rules.contains(null) || groups.contains(null) || services.contains(null)) {
            return Optional.empty();
        }
        return Optional.of(new Recommendation.Objects(rules, groups, services));
    }

    /**
     * @param policyFiles the policy the run was on, file name to text
     * @param chosen      names of the proposal's rules to keep (empty: all of them)
     * @param renames     a proposed rule's name to the name it gets
     */
    public static SortedMap<String, String> files(Map<String, String> policyFiles, Recommendation r, List<String> chosen,
                                                  Map<String, String> renames) {
        Set<String> names = new LinkedHashSet<>();
        r.objects().rules().forEach(x -> names.add(x.name()));
        for (String c : chosen) {
            if (!names.contains(c)) {
                throw new RecommendRefused("rule '" + c + "' is not in the proposal (its rules: " + String.join(", ", names) + ")");
            }
        }
        for (String old : renames.keySet()) {
            if (!names.contains(old)) {
                throw new RecommendRefused("cannot rename '" + old + "': it is not in the proposal (its rules: " + String.join(", ", names) + ")");
            }
        }
        Set<String> keep = chosen.isEmpty() ? names : new HashSet<>(chosen);
        List<Rule> rules = new ArrayList<>();
        Set<String> newNames = new TreeSet<>();
        for (Rule rule : r.objects().rules()) {
            if (keep.contains(rule.name())) {
                String name = renames.getOrDefault(rule.name(), rule.name());
                if (!newNames.add(name)) {
                    throw new RecommendRefused("two chosen rules would be named '" + name + "': give each its own name");
                }
                rules.add(new Rule(name, rule.description(), rule.sources(), rule.destinations(), rule.services(), rule.direction(),
                        rule.decap(), rule.action(), rule.monitor(), rule.enabled(), rule.at()));
            }
        }
        Set<String> used = new HashSet<>();
        rules.forEach(x -> {
            x.sources().forEach(ref -> used.add(ref.name()));
            x.destinations().forEach(ref -> used.add(ref.name()));
            x.services().stream().map(Ref::name).forEach(used::add);
        });
        List<Group> groups = r.objects().newGroups().stream().filter(g -> used.contains(g.name())).toList();
        List<Service> services = r.objects().newServices().stream().filter(s -> used.contains(s.name())).toList();
        PolicyBuild build = PolicyBuild.of(PolicySource.files("the run's policy", policyFiles));
        return Recommender.files(policyFiles, build.model(), groups, services, rules, r.placement());
    }
}
