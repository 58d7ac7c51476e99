package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.Role;
import dev.septum.model.Rule;
import dev.septum.model.write.PolicyWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
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

    /** Whether the policy has a node whose sessions the controller evaluates staged rules on. */
    public static boolean evaluable(PolicyModel model) {
        return model.devices().values().stream().anyMatch(d -> d.role() == Role.MONITOR);
    }

    public static PolicyBuild withoutStaged(PolicyBuild build) {
        return rebuilt(build, "without staged rules", r -> r.lifecycle().staged() ? null : r);
    }

    public static PolicyBuild promoted(PolicyBuild build, Staged staged) {
        return rebuilt(build, "with " + staged.label() + " enforced", r -> r == staged.rule() ? withMode(r, false) : r);
    }

    private static Rule withMode(Rule r, boolean staged) {
        return new Rule(r.name(), r.description(), r.sources(), r.destinations(), r.services(), r.direction(), r.decap(), r.action(),
                r.monitor(), r.enabled(), r.at(), r.lifecycle().staged(staged));
    }

    /** The policy with each rule mapped (null leaves it out), written and built again. */
    private static PolicyBuild rebuilt(PolicyBuild build, String label, Function<Rule, Rule> each) {
        PolicyModel m = build.model();
        SequencedMap<String, Policy> policies = new LinkedHashMap<>();
        m.policies().forEach((name, p) -> policies.put(name, new Policy(p.name(), p.description(), p.id(), p.domain(), p.vrf(),
                p.priority(), p.rules().stream().map(each).filter(java.util.Objects::nonNull).toList(), p.at())));
        PolicyModel changed = new PolicyModel(m.domains(), m.devices(), m.groups(), m.services(), m.redirects(), m.monitors(), policies);
        PolicyBuild rebuilt = PolicyBuild.of(PolicySource.files(build.source() + " " + label, PolicyWriter.files(changed)));
        if (!rebuilt.ok()) {
            throw new IllegalStateException(build.source() + " " + label + " does not build again: " + rebuilt.errors());
        }
        return rebuilt;
    }
}
