package dev.septum.verify;

import dev.septum.compile.plan.Semantics;

import com.github.javabdd.BDD;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.TrafficPolicyPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which packets each match of a traffic-policy decides, in one address family: the match's own
 * set, and the part of it no earlier match took (its first-match region). Packets left over
 * fall to the built-in default, which forwards.
 */
public final class DecisionModel {
    /** A match, the packets it covers, and the packets it actually decides. */
    public record Decision(MatchEntry match, Verdict verdict, BDD covers, BDD decides) {
    }

    private final List<Decision> decisions = new ArrayList<>();
    private final BDD undecided;
    private final Map<Verdict, BDD> byVerdict = new LinkedHashMap<>();

    public DecisionModel(TrafficPolicyPlan tp, MatchSpaces spaces, Semantics semantics) {
        BDD left = spaces.space().all();
        for (MatchEntry m : tp.matches()) {
            if (m.family() != spaces.space().family() || !semantics.applies(m)) {
                continue;
            }
            BDD covers = spaces.of(m);
            BDD decides = covers.and(left);
            left.andWith(covers.not());
            Verdict verdict = Verdict.of(m.action());
            decisions.add(new Decision(m, verdict, covers, decides));
            byVerdict.computeIfAbsent(verdict, v -> spaces.space().none()).orWith(decides.id());
        }
        undecided = left;
        byVerdict.computeIfAbsent(Verdict.FORWARD, v -> spaces.space().none()).orWith(left.id());
    }

    /** A VRF without a traffic-policy forwards everything. */
    public static DecisionModel forwardAll(MatchSpaces spaces) {
        return new DecisionModel(new TrafficPolicyPlan("none", "ALL", "", 0, List.of(), List.of()), spaces, Semantics.STATELESS);
    }

    public List<Decision> decisions() {
        return decisions;
    }

    public BDD undecided() {
        return undecided;
    }

    /** Every verdict this policy gives, with the packets that get it. */
    public Map<Verdict, BDD> verdicts() {
        return byVerdict;
    }

    public BDD withVerdict(Verdict verdict) {
        return byVerdict.getOrDefault(verdict, undecided.and(undecided.not()));
    }
}
