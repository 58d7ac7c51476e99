package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.Rule;
import dev.septum.model.write.PolicyWriter;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * A policy with its rules changed (one staged rule enforced, staged or stale rules left out),
 * written as YAML and built again through the loader and planner a directory goes through, so
 * what the verifier compares is what a user would get from those files.
 */
public record RebuiltPolicy(SortedMap<String, String> files, PolicyBuild build) {
    /** @param each maps each rule; null leaves it out */
    public static RebuiltPolicy of(PolicyBuild build, String label, Function<Rule, Rule> each) {
        PolicyModel m = build.model();
        SequencedMap<String, Policy> policies = new LinkedHashMap<>();
        m.policies().forEach((name, p) -> policies.put(name, new Policy(p.name(), p.description(), p.id(), p.domain(), p.vrf(),
                p.priority(), p.rules().stream().map(each).filter(Objects::nonNull).toList(), p.at())));
        PolicyModel changed = new PolicyModel(m.domains(), m.devices(), m.groups(), m.services(), m.redirects(), m.monitors(), policies);
        SortedMap<String, String> files = PolicyWriter.files(changed);
        PolicyBuild rebuilt = PolicyBuild.of(PolicySource.files(build.source() + " " + label, files));
        if (!rebuilt.ok()) {
            throw new IllegalStateException(build.source() + " " + label + " does not build again: " + rebuilt.errors());
        }
        return new RebuiltPolicy(files, rebuilt);
    }

    /** The policy without the rules named {@code policy/rule} in {@code rules}. */
    public static RebuiltPolicy without(PolicyBuild build, String label, Collection<String> rules) {
        // rules are records: two equal rules of two policies are told apart by identity
        Map<Rule, String> keys = new IdentityHashMap<>();
        build.model().policies().values().forEach(p -> p.rules().forEach(r -> keys.put(r, p.name() + "/" + r.name())));
        return of(build, label, r -> rules.contains(keys.get(r)) ? null : r);
    }
}
