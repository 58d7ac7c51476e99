package dev.septum.builder.recommend;

import com.github.javabdd.BDD;
import dev.septum.builder.tag.PolicySessionTagger;
import dev.septum.compile.diff.ConfigDiff;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.tag.SessionTags;
import dev.septum.model.Action;
import dev.septum.model.Rule;
import dev.septum.verify.Flow;
import dev.septum.verify.SemanticDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Proves a proposal on the policy it joins, with the pipeline and the verifier: the combined files
 * build without errors; replayed on the enforcing device, every training session is now passed by
 * an allow rule; and the semantic diff against the policy as it was shows only newly allowed
 * traffic, all of it allowed by a proposed rule and none of it taken from an explicit drop or
 * redirect rule (only from the default or a drop-else).
 */
final class ProposalCheck {
    record Outcome(boolean builds, long replayed, long replayAllowed, boolean placementProven, int configLinesAdded,
                   int commandLinesAdded, List<String> problems) {
    }

    private ProposalCheck() {
    }

    static Outcome check(PolicyBuild before, PolicyBuild after, String device, List<TrainingSet.Evidence> evidence, Set<String> proposedRules) {
        List<String> problems = new ArrayList<>();
        long replayed = evidence.stream().mapToLong(TrainingSet.Evidence::sessions).sum();
        if (!after.ok()) {
            after.errors().stream().limit(5).forEach(d -> problems.add("the proposal does not build: " + d.format()));
            return new Outcome(false, replayed, 0, false, 0, 0, problems);
        }
        PolicySessionTagger tagger = PolicySessionTagger.of(after, Optional.of(device), "proposal").orElseThrow();
        Map<String, Rule> rules = TrainingSet.rulesOf(after.model());
        long allowed = 0;
        for (TrainingSet.Evidence ev : evidence) {
            SessionRow r = ev.row();
            SessionTags t = tagger.tag(r.protocol(), r.clientAddr(), r.client().port(), r.serverAddr(), r.server().port());
            Rule rule = rules.get(t.policy() + "/" + t.rule());
            if (rule != null && TrainingSet.allows(rule)) {
                allowed += ev.sessions();
            } else if (problems.size() < 20) {
                problems.add("replay: " + r.clientAddr() + " -> " + r.serverAddr() + ":" + r.server().port() + " is decided by "
                        + (t.match().isEmpty() ? "nothing" : t.match()) + " (" + t.verdict() + ")");
            }
        }
        boolean proven = true;
        Map<String, Rule> rulesBefore = TrainingSet.rulesOf(before.model());
        for (SemanticDiff.Region region : SemanticDiff.regions(before, after)) {
            // exact: every packet whose verdict changes is split by the match deciding it on each side
            List<BDD> wrong = new ArrayList<>();
            if (region.kind() != SemanticDiff.Kind.NEWLY_ALLOWED) {
                wrong.add(region.packets());
            } else {
                region.decidersAfter().stream().filter(d -> !d.match().map(m -> proposedRules.contains(m.rule())).orElse(false))
                        .forEach(d -> wrong.add(d.packets()));
                region.decidersBefore().stream().filter(d -> d.match().map(m -> overridesDenial(rulesBefore.get(m.policy() + "/" + m.rule())))
                        .orElse(false)).forEach(d -> wrong.add(d.packets()));
            }
            for (BDD part : wrong) {
                proven = false;
                if (problems.size() < 20) {
                    Flow example = region.space().example(part);
                    problems.add("placement: " + region.kind().keyword() + " in " + region.enforcedAt() + ", e.g. " + example
                            + " (decided before by " + region.decidedBefore(example) + ", now by " + region.decidedAfter(example) + ")");
                }
            }
        }
        int added = 0;
        int commands = 0;
        Optional<String> a = before.deviceConfigs().stream().filter(c -> c.device().equals(device)).map(PolicyBuild.DeviceConfig::config).findFirst();
        Optional<String> b = after.deviceConfigs().stream().filter(c -> c.device().equals(device)).map(PolicyBuild.DeviceConfig::config).findFirst();
        if (a.isPresent() && b.isPresent()) {
            List<String> plus = ConfigDiff.added(a.get(), b.get());
            added = plus.size();
            // the seed's field report counts these: its 24 lines are its two rules' 32 without the 8 '!' separators
            commands = (int) plus.stream().filter(l -> !l.strip().equals("!")).count();
        }
        return new Outcome(true, replayed, allowed, proven, added, commands, problems);
    }

    /** An explicit drop or redirect: a proposal may take packets from a drop-else or the default only. */
    private static boolean overridesDenial(Rule was) {
        return was != null && !TrainingSet.catchAll(was) && !(was.action() instanceof Action.Forward);
    }
}
