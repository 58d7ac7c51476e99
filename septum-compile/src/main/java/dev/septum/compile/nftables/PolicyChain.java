package dev.septum.compile.nftables;

import dev.septum.compile.plan.MatchAction;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.PrefixFieldSet;
import dev.septum.compile.plan.ServiceFieldSet;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.IpFamily;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A traffic-policy's chain as the renderer lays it out: its matches in order, each either a rule of
 * its own ({@link Linear}) or part of a run looked up in region maps ({@link Mapped}). The rule that
 * picks the form: a run of at least {@code mapFrom} consecutive matches that are neither staged nor
 * monitored, forward or drop, name only port-carrying services and whose counter comment fits on a map
 * element ({@link NftNames#COMMENT_MAX}; long policy and rule names) is mapped, unless its regions
 * exceed {@link FirstMatchRegions}' bounds; every other match is linear.
 */
record PolicyChain(TrafficPolicyPlan policy, List<Step> steps) {
    sealed interface Step permits Linear, Mapped {
    }

    record Linear(MatchEntry match) implements Step {
    }

    /**
     * A run of matches decided by one lookup per address family present.
     *
     * @param index   the run's place among the chain's mapped runs, from 1, naming its maps
     * @param regions per family, the run's first-match regions of that family
     */
    record Mapped(String vrf, int index, List<MatchEntry> run, Map<IpFamily, List<FirstMatchRegions.Region>> regions)
            implements Step {
    }

    PolicyChain {
        steps = List.copyOf(steps);
    }

    /** Lays out {@code rendered}: the policy's matches the table renders, in order. */
    static PolicyChain of(TrafficPolicyPlan policy, List<MatchEntry> rendered, int mapFrom,
                          Map<String, PrefixFieldSet> prefixSets, Map<String, ServiceFieldSet> serviceSets) {
        List<Step> steps = new ArrayList<>();
        List<MatchEntry> run = new ArrayList<>();
        for (MatchEntry m : rendered) {
            if (mappable(m, serviceSets)) {
                run.add(m);
                continue;
            }
            flush(policy.vrf(), run, steps, mapFrom, prefixSets, serviceSets);
            steps.add(new Linear(m));
        }
        flush(policy.vrf(), run, steps, mapFrom, prefixSets, serviceSets);
        return new PolicyChain(policy, steps);
    }

    private static boolean mappable(MatchEntry m, Map<String, ServiceFieldSet> serviceSets) {
        return !m.staged() && m.mirrorSession().isEmpty() && !(m.action() instanceof MatchAction.Redirect)
                && NftNames.elementComment(m).length() <= NftNames.COMMENT_MAX
                && FirstMatchRegions.portCarrying(m, serviceSets);
    }

    private static void flush(String vrf, List<MatchEntry> run, List<Step> steps, int mapFrom,
                              Map<String, PrefixFieldSet> prefixSets, Map<String, ServiceFieldSet> serviceSets) {
        Optional<Map<IpFamily, List<FirstMatchRegions.Region>>> regions = run.size() >= mapFrom
                ? regions(run, prefixSets, serviceSets) : Optional.empty();
        if (regions.isPresent()) {
            int index = 1 + (int) steps.stream().filter(s -> s instanceof Mapped).count();
            steps.add(new Mapped(vrf, index, List.copyOf(run), regions.get()));
        } else {
            run.forEach(m -> steps.add(new Linear(m)));
        }
        run.clear();
    }

    private static Optional<Map<IpFamily, List<FirstMatchRegions.Region>>> regions(
            List<MatchEntry> run, Map<String, PrefixFieldSet> prefixSets, Map<String, ServiceFieldSet> serviceSets) {
        Map<IpFamily, List<FirstMatchRegions.Region>> byFamily = new EnumMap<>(IpFamily.class);
        for (IpFamily family : IpFamily.values()) {
            List<MatchEntry> ofFamily = run.stream().filter(m -> m.family() == family).toList();
            if (ofFamily.isEmpty()) {
                continue;
            }
            Optional<List<FirstMatchRegions.Region>> cut = FirstMatchRegions.of(ofFamily, family, prefixSets, serviceSets);
            if (cut.isEmpty()) {
                return Optional.empty();
            }
            byFamily.put(family, cut.get());
        }
        return Optional.of(byFamily);
    }
}
