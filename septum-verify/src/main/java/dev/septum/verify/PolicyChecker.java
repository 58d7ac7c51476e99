package dev.septum.verify;

import dev.septum.compile.plan.Semantics;

import com.github.javabdd.BDD;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.model.IpFamily;
import dev.septum.model.PolicyModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code septum check}: exact findings over the whole header space of each enforced
 * traffic-policy. A rule is shadowed when earlier rules decide every packet it covers (naming
 * them), redundant when removing it changes no verdict (naming the later rules that would then
 * decide its packets), in conflict when an earlier rule with another verdict
 * decides part of it; on stateless switches every forwarding {@code -reverse} match is reported
 * for what it opens beyond replies.
 */
public final class PolicyChecker {
    private static final int MAX_RELATED = 5;

    private PolicyChecker() {
    }

    public static List<Finding> check(PolicyBuild build) {
        return check(build, progress -> { });
    }

    /** As {@link #check(PolicyBuild)}, telling {@code progress} which traffic-policy it analyses. */
    public static List<Finding> check(PolicyBuild build, java.util.function.Consumer<String> progress) {
        PolicyModel model = build.model();
        Set<Finding> findings = new LinkedHashSet<>();
        List<EnforcedPolicy> policies = EnforcedPolicy.of(build.plans());
        for (int i = 0; i < policies.size(); i++) {
            EnforcedPolicy enforced = policies.get(i);
            progress.accept("checking " + (i + 1) + "/" + policies.size() + ": " + enforced.label() + ", "
                    + enforced.policy().matches().size() + " matches, " + enforced.semantics().name().toLowerCase(java.util.Locale.ROOT));
            for (IpFamily family : IpFamily.values()) {
                HeaderSpace space = new HeaderSpace(family);
                MatchSpaces spaces = new MatchSpaces(space, enforced.index());
                DecisionModel decisions = new DecisionModel(enforced.policy(), spaces, enforced.semantics());
                findings.addAll(new PolicyChecker.Run(enforced, space, decisions).findings());
            }
        }
        findings.addAll(ModelHygiene.findings(model));
        return List.copyOf(findings);
    }

    /** The findings of one enforced policy in one address family. */
    private record Run(EnforcedPolicy enforced, HeaderSpace space, DecisionModel model) {
        List<Finding> findings() {
            List<Finding> out = new ArrayList<>();
            List<DecisionModel.Decision> ds = model.decisions();
            for (int i = 0; i < ds.size(); i++) {
                DecisionModel.Decision d = ds.get(i);
                if (d.coversNothing()) {
                    out.add(finding(Level.WARNING, "unmatchable", d, "matches no packet at all", List.of(), Optional.empty()));
                } else if (d.decidesNothing()) {
                    out.add(shadowed(ds, i));
                } else {
                    conflict(ds, i).ifPresent(out::add);
                    if (enforced.semantics() == Semantics.STATELESS && d.match().reverse() && d.verdict() != Verdict.DROP) {
                        out.add(statelessReverse(d));
                    }
                }
            }
            out.addAll(redundant(ds));
            return out;
        }

        private Finding shadowed(List<DecisionModel.Decision> ds, int i) {
            DecisionModel.Decision d = ds.get(i);
            List<DecisionModel.Decision> covering = earlierDeciding(ds, i, d.covers(), v -> true);
            boolean opposite = covering.stream().anyMatch(c -> !c.verdict().equals(d.verdict()));
            String message = "never matches: earlier rules decide every packet it covers"
                    + (opposite ? ", and some of them " + verdictsOf(covering, d.verdict()) + " what this rule would "
                    + d.verdict() : "");
            return finding(opposite ? Level.ERROR : Level.WARNING, "shadowed", d, message, names(covering),
                    Optional.of(space.example(d.covers())));
        }

        private Optional<Finding> conflict(List<DecisionModel.Decision> ds, int i) {
            DecisionModel.Decision d = ds.get(i);
            // canonical BDDs: a match that decides all it covers hides nothing (most matches of a large policy)
            if (d.decidesAll()) {
                return Optional.empty();
            }
            BDD hidden = d.covers().and(d.decides().not());
            List<DecisionModel.Decision> others = hidden.isZero() ? List.of()
                    : earlierDeciding(ds, i, hidden, v -> !v.equals(d.verdict()));
            if (others.isEmpty()) {
                hidden.free();
                return Optional.empty();
            }
            BDD example = hidden.andWith(others.getFirst().decides().id());
            Flow flow = space.example(example);
            example.free();
            return Optional.of(finding(Level.INFO, "overlap", d, "part of what it would " + d.verdict()
                    + " is decided earlier by " + others.getFirst().match().name() + " (" + others.getFirst().verdict() + ")",
                    names(others), Optional.of(flow)));
        }

        /** Earlier matches that decide part of {@code packets}, biggest share first (greedy cover). */
        private List<DecisionModel.Decision> earlierDeciding(List<DecisionModel.Decision> ds, int i, BDD packets,
                                                             java.util.function.Predicate<Verdict> verdict) {
            List<DecisionModel.Decision> result = new ArrayList<>();
            Map<DecisionModel.Decision, Double> share = new HashMap<>();
            // packets lie within match i, so a match that cannot meet it decides none of them
            for (int j : model.meeting(i)) {
                if (j > i) {
                    break;
                }
                DecisionModel.Decision e = ds.get(j);
                if (verdict.test(e.verdict())) {
                    BDD overlap = e.decides().and(packets);
                    if (!overlap.isZero()) {
                        result.add(e);
                        share.put(e, overlap.satCount());
                    }
                    overlap.free();
                }
            }
            result.sort((a, b) -> Double.compare(share.get(b), share.get(a)));
            return result;
        }

        /**
         * Removing match i changes nothing when, for every packet it decides, the matches after it
         * (or the default) give the same verdict. Monitored matches are kept: they feed the
         * monitor node even when the verdict is the same.
         */
        private List<Finding> redundant(List<DecisionModel.Decision> ds) {
            List<Finding> out = new ArrayList<>();
            for (int i = 0; i < ds.size(); i++) {
                DecisionModel.Decision d = ds.get(i);
                if (!d.decidesNothing() && d.match().mirrorSession().isEmpty()) {
                    alikeLater(ds, i).ifPresent(covering -> out.add(finding(Level.WARNING, "redundant", d,
                            "removing it changes no verdict: " + String.join(", ", covering) + " already "
                                    + d.verdict() + " every packet it decides; only its counter would be lost",
                            covering, Optional.of(space.example(d.decidedParts())))));
                }
            }
            return out;
        }

        /**
         * The matches after match i that would decide its packets were it removed, in order, and
         * the default when some packets would fall through to it; empty when one of them gives
         * some packet another verdict. Only later matches that meet match i can take its packets.
         */
        private Optional<List<String>> alikeLater(List<DecisionModel.Decision> ds, int i) {
            Verdict verdict = ds.get(i).verdict();
            List<String> names = new ArrayList<>();
            // built only when a later match meets it: most matches of a large policy meet none
            BDD left = null;
            for (int k : model.meeting(i)) {
                if (k < i) {
                    continue;
                }
                if (left == null) {
                    left = ds.get(i).decides().id();
                }
                if (left.isZero()) {
                    break;
                }
                DecisionModel.Decision later = ds.get(k);
                BDD taken = left.and(later.covers());
                boolean takes = !taken.isZero();
                taken.free();
                // most later matches take nothing, and then leave what is left as it is
                if (takes) {
                    if (!later.verdict().equals(verdict)) {
                        left.free();
                        return Optional.empty();
                    }
                    if (!names.contains(later.match().name())) {
                        names.add(later.match().name());
                    }
                    left.andWith(later.covers().not());
                }
            }
            // the caller asks only for a match that decides some packet
            boolean fallsThrough = left == null || !left.isZero();
            if (left != null) {
                left.free();
            }
            if (fallsThrough) {
                if (!verdict.equals(Verdict.FORWARD)) {
                    return Optional.empty();
                }
                names.add("the default (which forwards)");
            }
            return Optional.of(names.size() <= MAX_RELATED ? names : java.util.stream.Stream.concat(names.stream().limit(MAX_RELATED),
                    java.util.stream.Stream.of("and " + (names.size() - MAX_RELATED) + " more")).toList());
        }

        private Finding statelessReverse(DecisionModel.Decision d) {
            MatchEntry m = d.match();
            String from = m.sourceSets().isEmpty() ? "any host" : "any host in " + String.join(", ", m.sourceSets());
            String to = m.destinationSets().isEmpty() ? "any host" : String.join(", ", m.destinationSets());
            String what = m.serviceSets().isEmpty() ? "any packet" : "any packet of " + String.join(", ", m.serviceSets());
            return finding(Level.WARNING, "stateless-reverse", d, "the switch keeps no state, so this reply match lets "
                            + from + " send " + what + " to " + to + " on any destination port, replies or not "
                            + "(e.g. start connections to their services); fix: enforce on a stateful device (nftables) "
                            + "or narrow the reverse service's destination ports to ephemeral ports",
                    List.of(), Optional.of(space.exampleWithWellKnownPort(d.decidedParts())));
        }

        private Finding finding(Level level, String kind, DecisionModel.Decision d, String message, List<String> related,
                                Optional<Flow> example) {
            String where = enforced.label() + " on " + String.join(", ", enforced.devices());
            return new Finding(level, kind, where, "match " + d.match().name() + " " + d.match().family().keyword()
                    + " (rule " + d.match().rule() + ")", message, related, example);
        }

        private static List<String> names(List<DecisionModel.Decision> ds) {
            return ds.stream().limit(MAX_RELATED).map(d -> d.match().name()).toList();
        }

        private static String verdictsOf(List<DecisionModel.Decision> ds, Verdict except) {
            return ds.stream().map(DecisionModel.Decision::verdict).filter(v -> !v.equals(except)).distinct()
                    .map(Verdict::keyword).collect(Collectors.joining("/"));
        }
    }
}
