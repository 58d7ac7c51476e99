package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.Finding;
import dev.septum.verify.Level;
import dev.septum.verify.SemanticDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code check} says of staged rules: the proof that staging enforces nothing (every
 * device's verdicts equal those of the policy with its staged rules removed, compared exactly),
 * and that each staged rule has something to evaluate it: the monitor node's sessions, which the
 * controller tests it on, or an nftables device counting it without a verdict. A staged rule nothing evaluates would be a silence that looks like a
 * clean report, so it is an error.
 */
public final class StagedFindings {
    private StagedFindings() {
    }

    public static List<Finding> find(PolicyBuild build) {
        List<StagedRules.Staged> staged = StagedRules.of(build.model());
        if (staged.isEmpty()) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        List<SemanticDiff.Change> enforced = SemanticDiff.compare(StagedRules.withoutStaged(build), build);
        for (SemanticDiff.Change c : enforced) {
            findings.add(new Finding(Level.ERROR, "staged-enforces", c.enforcedAt(), c.cell(),
                    "staging changes what the device enforces: " + c.summary(), List.of(c.decidedAfter()), Optional.of(c.example())));
        }
        long devices = build.plans().stream().filter(p -> !p.trafficPolicies().isEmpty()).count();
        for (StagedRules.Staged s : staged) {
            List<String> evaluatedBy = StagedRules.evaluatedBy(build, s);
            if (evaluatedBy.isEmpty()) {
                findings.add(new Finding(Level.ERROR, "staged-unevaluated", "policy " + s.policy().name(), s.rule().name(),
                        "is staged but nothing evaluates it: the controller tests staged rules on the monitor node's sessions, and no "
                                + "device has 'role: monitor'; nftables devices count staged rules, and none has this one; add the monitor "
                                + "node, put the rule's domain on an nftables device, or enforce the rule", List.of(), Optional.empty()));
            } else if (enforced.isEmpty()) {
                findings.add(new Finding(Level.INFO, "staged", "policy " + s.policy().name(), s.rule().name(),
                        "is staged: no device enforces it (proved on " + devices + " enforcing device(s): their verdicts equal those "
                                + "without staged rules); evaluated by " + String.join("; ", evaluatedBy)
                                + "; 'septum staged --sessions STORE' shows what it would decide",
                        List.of(), Optional.empty()));
            }
        }
        return findings;
    }
}
