package dev.septum.builder.recommend;

import dev.septum.builder.tag.PolicySessionTagger;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.SessionClass;
import dev.septum.flows.tag.SessionTags;
import dev.septum.model.Action;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sorts stored sessions into the evidence allow rules may rest on and everything that must never
 * become an allow rule: failed attempts and scans (half-open, refused), sessions whose client
 * cannot be told from their server, sessions an explicit drop or redirect rule decides, and (the
 * incremental part) sessions an existing allow rule already passes.
 */
public final class TrainingSet {
    /** Why a session is not evidence. */
    public enum Excluded {
        OUTSIDE_SELECTION, FAILED_ATTEMPT, NO_DIRECTION, ALREADY_ALLOWED, DENIED_BY_RULE
    }

    /** Sessions taken as evidence ({@code row} standing for {@code sessions} of them), with what the current policy says of them. */
    public record Evidence(SessionRow row, long sessions, SessionTags tags) {
    }

    /** Sessions left out, and the rule behind them when a rule decided. */
    public record Left(SessionRow row, long sessions, Excluded why, String rule) {
    }

    private final List<Evidence> evidence = new ArrayList<>();
    private final List<Left> left = new ArrayList<>();
    /** Rules (policy/rule) that decided evidence: the proposal goes before the first of them. */
    private final List<String> decidingRules = new ArrayList<>();

    private TrainingSet() {
    }

    /** @param sessions classes of sessions the tagger cannot tell apart (a single session is a class of one) */
    public static TrainingSet sort(PolicyModel model, PolicySessionTagger tagger, List<SessionClass> sessions,
                                   RecommendRequest.Selection selection) {
        Map<String, Rule> rules = rulesOf(model);
        TrainingSet set = new TrainingSet();
        for (SessionClass c : sessions) {
            SessionRow row = c.row();
            SessionTags tags = tagger.tag(row.protocol(), row.clientAddr(), row.client().port(), row.serverAddr(), row.server().port());
            Optional<Rule> rule = Optional.ofNullable(rules.get(tags.policy() + "/" + tags.rule()));
            set.place(row, c.sessions(), tags, rule, selected(selection, tags, rule));
        }
        return set;
    }

    private static boolean selected(RecommendRequest.Selection selection, SessionTags tags, Optional<Rule> rule) {
        return switch (selection) {
            case RecommendRequest.Selection.All a -> true;
            case RecommendRequest.Selection.ByRule r -> tags.decidedBy(r.ruleOrMatch());
            case RecommendRequest.Selection.ByMonitor m -> rule.flatMap(Rule::monitor).map(ref -> ref.name().equals(m.monitor())).orElse(false);
        };
    }

    private void place(SessionRow row, long sessions, SessionTags tags, Optional<Rule> rule, boolean selected) {
        String ruleName = rule.map(Rule::name).orElse("");
        if (!selected) {
            left.add(new Left(row, sessions, Excluded.OUTSIDE_SELECTION, ruleName));
        } else if (row.state() != SessionState.COMPLETE) {
            left.add(new Left(row, sessions, Excluded.FAILED_ATTEMPT, ruleName));
        } else if (row.evidence() == DirectionEvidence.NONE) {
            left.add(new Left(row, sessions, Excluded.NO_DIRECTION, ruleName));
        } else if (rule.isPresent() && allows(rule.get())) {
            left.add(new Left(row, sessions, Excluded.ALREADY_ALLOWED, ruleName));
        } else if (rule.isPresent() && !(rule.get().action() instanceof Action.Forward) && !catchAll(rule.get())) {
            left.add(new Left(row, sessions, Excluded.DENIED_BY_RULE, ruleName));
        } else {
            evidence.add(new Evidence(row, sessions, tags));
            String key = tags.policy() + "/" + tags.rule();
            if (rule.isPresent() && !decidingRules.contains(key)) {
                decidingRules.add(key);
            }
        }
    }

    /** Every rule by "policy/rule", the key a session's tags give. */
    static Map<String, Rule> rulesOf(PolicyModel model) {
        Map<String, Rule> rules = new HashMap<>();
        for (Policy p : model.policies().values()) {
            p.rules().forEach(r -> rules.put(p.name() + "/" + r.name(), r));
        }
        return rules;
    }

    /** An allow rule of the policy proper: a forward rule that does not mirror to a monitor (those only observe). */
    static boolean allows(Rule rule) {
        return rule.action() instanceof Action.Forward && rule.monitor().isEmpty();
    }

    /** A policy's drop-else: a drop rule for any service from or to anything. Other drops are deliberate denials. */
    static boolean catchAll(Rule rule) {
        return rule.action() instanceof Action.Drop && rule.services().isEmpty()
                && (rule.sources().isEmpty() || rule.destinations().isEmpty());
    }

    public List<Evidence> evidence() {
        return evidence;
    }

    public List<Left> left() {
        return left;
    }

    /** Sessions left out for this reason. */
    public long count(Excluded why) {
        return left.stream().filter(l -> l.why() == why).mapToLong(Left::sessions).sum();
    }

    /** Sessions taken as evidence. */
    public long evidenceSessions() {
        return evidence.stream().mapToLong(Evidence::sessions).sum();
    }

    /** "policy/rule" of each rule that decided evidence, in the order first met. */
    public List<String> decidingRules() {
        return decidingRules;
    }
}
