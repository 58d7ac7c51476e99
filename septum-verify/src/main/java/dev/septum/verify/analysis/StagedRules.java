package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.DeviceBuild;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.model.Platform;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.Role;
import dev.septum.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The staged rules of a policy, and the versions of it the verifier compares them with: the same
 * policy with every staged rule removed (what staging must enforce), and with one of them promoted
 * (what enforcing it would do). Each version is written as YAML and built again, through the very
 * loader and planner a directory goes through.
 */
public final class StagedRules {
    private StagedRules() {
    }

    /** A staged rule and the policy it sits in. */
    public record Staged(Policy policy, Rule rule) {
        public String label() {
            return policy.name() + "/" + rule.name();
        }
    }

    public static List<Staged> of(PolicyModel model) {
        return model.policies().values().stream()
                .flatMap(p -> p.rules().stream().filter(r -> r.lifecycle().staged()).map(r -> new Staged(p, r))).toList();
    }

    /**
     * What evaluates a staged rule: the controller, on the sessions of a monitor node, and each
     * nftables device whose config counts the rule without a verdict. Empty when nothing does.
     */
    public static List<String> evaluatedBy(PolicyBuild build, Staged staged) {
        List<String> sources = new ArrayList<>();
        if (build.model().devices().values().stream().anyMatch(d -> d.role() == Role.MONITOR)) {
            sources.add("controller, on the monitor node's sessions");
        }
        List<String> counting = build.devices().stream()
                .filter(d -> d instanceof DeviceBuild.Rendered r && r.profile().platform() == Platform.NFTABLES
                        && r.plan().trafficPolicies().stream().flatMap(tp -> tp.entries().stream())
                        .anyMatch(m -> m.staged() && m.policy().equals(staged.policy().name()) && m.rule().equals(staged.rule().name())))
                .map(DeviceBuild::name).toList();
        if (!counting.isEmpty()) {
            sources.add("counters on nftables device(s) " + String.join(", ", counting));
        }
        return sources;
    }

    public static PolicyBuild withoutStaged(PolicyBuild build) {
        return rebuilt(build, "without staged rules", r -> r.lifecycle().staged() ? null : r);
    }

    public static PolicyBuild promoted(PolicyBuild build, Staged staged) {
        return rebuilt(build, "with " + staged.label() + " enforced", r -> r == staged.rule() ? r.withLifecycle(r.lifecycle().staged(false)) : r);
    }

    private static PolicyBuild rebuilt(PolicyBuild build, String label, Function<Rule, Rule> each) {
        return RebuiltPolicy.of(build, label, each).build();
    }
}
