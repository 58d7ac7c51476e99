package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PlatformProfiles;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.Semantics;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.IpFamily;
import dev.septum.model.Policy;
import dev.septum.model.Rule;
import dev.septum.verify.DecisionModel;
import dev.septum.verify.Finding;
import dev.septum.verify.HeaderSpace;
import dev.septum.verify.Level;
import dev.septum.verify.MatchSpaces;
import dev.septum.verify.PlanIndex;
import dev.septum.verify.PolicyChecker;
import dev.septum.verify.analysis.Analysis.Column;
import dev.septum.verify.analysis.Analysis.Note;
import dev.septum.verify.analysis.Analysis.Table;
import dev.septum.verify.analysis.Analysis.Type;
import dev.septum.verify.analysis.SessionPackets.Direction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code stale}: per rule, the observed sessions it decided on some enforcing device (some packet
 * of the session in the rule's first-match region, its {@code -reverse} match's on a stateless
 * device included) and when the last of them was seen, with what the verifier says of it
 * (shadowed, redundant). An enforced rule that decided no session of the window is {@code stale};
 * removing every stale rule is proposed as a policy whose break-set over the same sessions is
 * computed, and it is empty: the packets only a removed rule decided are packets nobody sent.
 */
public final class StaleAnalysis {
    public static final String KIND = "stale";
    static final String STALE = "stale";
    private static final List<Column> COLUMNS = List.of(
            Column.of("policy", "policy", Type.TEXT),
            Column.of("rule", "rule", Type.TEXT),
            Column.of("action", "action", Type.TEXT),
            Column.of("state", "state", Type.TEXT),
            Column.of("sessions", "sessions", Type.NUMBER),
            Column.of("counterPackets", "counted by devices", Type.NUMBER),
            Column.of("lastHit", "last hit", Type.TEXT),
            Column.of("lastHitFrom", "last hit from", Type.TEXT),
            Column.of("verifier", "verifier", Type.LIST));

    private StaleAnalysis() {
    }

    /** The report, and the policy without its stale rules. */
    public record Result(Analysis analysis, List<String> stale, Optional<RebuiltPolicy> proposal) {
    }

    /** {@code counters}: a rule whose device counters grew in their window is used, with or without sessions. */
    public static Result of(PolicyBuild build, String label, BreakSetAnalysis.Observed observed, RuleCounters counters) {
        Map<String, Use> uses = uses(build, observed);
        Map<String, Set<String>> verifier = verifierFindings(build);
        List<List<Object>> rows = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (Policy p : build.model().policies().values()) {
            for (Rule r : p.rules()) {
                String key = key(p.name(), r.name());
                Use use = uses.getOrDefault(key, new Use());
                List<RuleCounters.Hit> counted = counters.of(p.name(), r.name(), false);
                long counterPackets = RuleCounters.packets(counted);
                Optional<LastHit> lastHit = Stream.concat(
                        use.sessions.isEmpty() ? Stream.empty() : Stream.of(new LastHit(Instant.ofEpochMilli(use.last), SESSION)),
                        RuleCounters.lastHit(counted).map(at -> new LastHit(at, COUNTER_POLL)).stream())
                        .max(java.util.Comparator.comparing(LastHit::at));
                boolean unused = use.sessions.isEmpty() && counterPackets == 0;
                String state = !r.enabled() ? "disabled" : r.lifecycle().staged() ? "staged" : unused ? STALE : "used";
                if (state.equals(STALE)) {
                    stale.add(key);
                }
                rows.add(Arrays.asList(p.name(), r.name(), r.action().keyword(), state, (long) use.sessions.size(),
                        counted.isEmpty() ? null : counterPackets, lastHit.map(h -> h.at().toString()).orElse(null),
                        lastHit.map(LastHit::from).orElse(null),
                        List.copyOf(verifier.getOrDefault(key, Set.of()))));
            }
        }
        List<Note> notes = new ArrayList<>();
        notes.add(new Note(Level.INFO, stale.size() + " enforced rule(s) decided none of " + observed.sessions().size()
                + " observed sessions (" + observed.window() + ")" + (counters.hits().isEmpty() ? ""
                : " and no device counter of theirs grew (" + counters.window() + ")")));
        if (observed.truncated()) {
            notes.add(new Note(Level.WARNING, "only the most recent sessions were read; a rule called stale may have decided older ones"));
        }
        Optional<RebuiltPolicy> proposal = Optional.empty();
        if (!stale.isEmpty()) {
            RebuiltPolicy without = RebuiltPolicy.without(build, "without stale rules", stale);
            BreakSetAnalysis.Part breaks = BreakSetAnalysis.part(build, without.build(), observed);
            proposal = Optional.of(without);
            notes.add(breaks.brokenSessions() == 0
                    ? new Note(Level.INFO, "removing the stale rules (" + String.join(", ", stale) + ") changes the verdict of no observed"
                            + " session: its break-set over the same sessions is empty")
                    : new Note(Level.WARNING, "removing the stale rules changes the verdict of " + breaks.brokenSessions()
                            + " observed session(s); review the break-set before proposing it"));
        }
        SequencedMap<String, String> subject = new LinkedHashMap<>();
        subject.put("policy", label);
        subject.put("sessions", observed.window());
        Analysis analysis = new Analysis(KIND, "rule use in " + label, subject, List.of(new Table("rules", "rules", COLUMNS, rows)), notes);
        return new Result(analysis, List.copyOf(stale), proposal);
    }

    static final String SESSION = "session";
    static final String COUNTER_POLL = "counter poll";

    /** When a rule was last seen deciding traffic, and which source saw it: a stored session, or a counter poll at which its counter had grown. */
    private record LastHit(Instant at, String from) {
    }

    private static String key(String policy, String rule) {
        return policy + "/" + rule;
    }

    /** The sessions of one rule. */
    private static final class Use {
        final Set<ObservedSession> sessions = Collections.newSetFromMap(new IdentityHashMap<>());
        long last = Long.MIN_VALUE;

        void add(ObservedSession s) {
            sessions.add(s);
            last = Math.max(last, s.lastMillis());
        }
    }

    private static Map<String, Use> uses(PolicyBuild build, BreakSetAnalysis.Observed observed) {
        Map<String, Use> uses = new LinkedHashMap<>();
        for (DevicePlan plan : build.plans()) {
            Semantics semantics = PlatformProfiles.semantics(plan.device());
            PlanIndex index = new PlanIndex(plan);
            for (TrafficPolicyPlan tp : plan.trafficPolicies()) {
                for (IpFamily family : IpFamily.values()) {
                    HeaderSpace space = new HeaderSpace(family);
                    DecisionModel decisions = new DecisionModel(tp, new MatchSpaces(space, index), semantics);
                    for (DecisionModel.Decision d : decisions.decisions()) {
                        Use use = uses.computeIfAbsent(key(d.match().policy(), d.match().rule()), k -> new Use());
                        for (ObservedSession s : observed.sessions()) {
                            if (IpFamily.of(s.client()) == family && !use.sessions.contains(s)
                                    && Direction.decidedOn(semantics).stream().anyMatch(dir -> SessionPackets.touches(space, d.decides(), s, dir))) {
                                use.add(s);
                            }
                        }
                    }
                }
            }
        }
        return uses;
    }

    /** {@code shadowed} and {@code redundant} findings, by the rule of the match they are about. */
    private static Map<String, Set<String>> verifierFindings(PolicyBuild build) {
        Map<String, String> ruleOfMatch = new LinkedHashMap<>();
        for (DevicePlan plan : build.plans()) {
            for (TrafficPolicyPlan tp : plan.trafficPolicies()) {
                for (MatchEntry m : tp.matches()) {
                    ruleOfMatch.putIfAbsent(m.name(), key(m.policy(), m.rule()));
                }
            }
        }
        Map<String, Set<String>> findings = new LinkedHashMap<>();
        for (Finding f : PolicyChecker.check(build, progress -> { })) {
            // the subject reads "match NAME FAMILY (rule RULE)"
            String match = f.subject().startsWith("match ") ? f.subject().substring("match ".length()).split(" ")[0] : f.subject();
            String rule = ruleOfMatch.get(match);
            if (rule != null && (f.kind().equals("shadowed") || f.kind().equals("redundant"))) {
                findings.computeIfAbsent(rule, k -> new TreeSet<>()).add(f.kind() + (match.endsWith("-reverse") ? " (reverse)" : ""));
            }
        }
        return findings;
    }
}
