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
    /**
     * A match, the packets it covers, and the packets it actually decides. Most matches of a large
     * policy meet no earlier match and so decide all they cover; their BDD is built only when
     * something asks for it (a later match that meets them, trace, reach, diff), while check reads
     * their emptiness and example packets from their three sides.
     */
    public static final class Decision {
        private final MatchEntry match;
        private final Verdict verdict;
        private final MatchSpaces spaces;
        private BDD covers;
        /** Null when no earlier match meets this one: then it decides all it covers. */
        private final BDD decides;

        private Decision(MatchEntry match, MatchSpaces spaces, BDD covers, BDD decides) {
            this.match = match;
            this.verdict = Verdict.of(match.action());
            this.spaces = spaces;
            this.covers = covers;
            this.decides = decides;
        }

        public MatchEntry match() {
            return match;
        }

        public Verdict verdict() {
            return verdict;
        }

        /** The packets the match covers (built when first asked). */
        public BDD covers() {
            if (covers == null) {
                covers = spaces.of(match);
            }
            return covers;
        }

        /** The packets no earlier match took: its first-match region. */
        public BDD decides() {
            return decides == null ? covers() : decides;
        }

        boolean coversNothing() {
            return covers == null ? spaces.isEmpty(match) : covers.isZero();
        }

        boolean decidesNothing() {
            return decides == null ? coversNothing() : decides.isZero();
        }

        /** Whether earlier matches took none of its packets. */
        boolean decidesAll() {
            return decides == null || decides.equals(covers());
        }

        /** The packets it decides as diagrams whose conjunction they are, for example packets. */
        List<Conjunction.Diagram> decidedParts() {
            return decides == null ? spaces.sides(match) : List.of(Conjunction.Diagram.of(decides));
        }
    }

    private final HeaderSpace space;
    private final List<Decision> decisions = new ArrayList<>();
    private final MeetingMatches meeting;
    private BDD undecided;
    private Map<Verdict, BDD> byVerdict;

    /**
     * Each match's region is its own set minus the earlier matches that meet it. Refining one
     * set of packets not yet decided would be the same, but that set splinters with every match
     * and makes each step on a large policy cost as much as all the matches before it.
     */
    public DecisionModel(TrafficPolicyPlan tp, MatchSpaces spaces, Semantics semantics) {
        this.space = spaces.space();
        List<MatchEntry> applied = tp.matches().stream()
                .filter(m -> m.family() == space.family() && semantics.applies(m)).toList();
        meeting = new MeetingMatches(applied, spaces);
        for (int i = 0; i < applied.size(); i++) {
            int[] meets = meeting.of(i);
            if (meets.length == 0 || meets[0] > i) {
                decisions.add(new Decision(applied.get(i), spaces, null, null));
                continue;
            }
            BDD covers = spaces.of(applied.get(i));
            BDD decides = covers.id();
            for (int j : meets) {
                if (j > i || decides.isZero()) {
                    break;
                }
                BDD earlier = decisions.get(j).covers();
                BDD taken = decides.and(earlier);
                if (!taken.isZero()) {
                    decides.andWith(earlier.not());
                }
                taken.free();
            }
            decisions.add(new Decision(applied.get(i), spaces, covers, decides));
        }
    }

    /** A VRF without a traffic-policy forwards everything. */
    public static DecisionModel forwardAll(MatchSpaces spaces) {
        return new DecisionModel(new TrafficPolicyPlan("none", "ALL", "", 0, List.of(), List.of()), spaces, Semantics.STATELESS);
    }

    public List<Decision> decisions() {
        return decisions;
    }

    /** The positions in {@link #decisions()} of the matches that may share a packet with match i, in order. */
    public int[] meeting(int i) {
        return meeting.of(i);
    }

    /** Packets no match covers; built when first asked (check does not need it). */
    public BDD undecided() {
        if (undecided == null) {
            BDD covered = space.none();
            for (Decision d : decisions) {
                covered.orWith(d.covers().id());
            }
            undecided = covered.not();
            covered.free();
        }
        return undecided;
    }

    /** Every verdict this policy gives, with the packets that get it. */
    public Map<Verdict, BDD> verdicts() {
        if (byVerdict == null) {
            byVerdict = new LinkedHashMap<>();
            for (Decision d : decisions) {
                byVerdict.computeIfAbsent(d.verdict(), v -> space.none()).orWith(d.decides().id());
            }
            byVerdict.computeIfAbsent(Verdict.FORWARD, v -> space.none()).orWith(undecided().id());
        }
        return byVerdict;
    }

    public BDD withVerdict(Verdict verdict) {
        return verdicts().getOrDefault(verdict, space.none());
    }
}
