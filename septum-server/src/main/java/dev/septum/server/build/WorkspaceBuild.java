package dev.septum.server.build;

import dev.septum.compile.diff.ConfigDiff;
import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.model.validate.Diagnostic;
import dev.septum.server.store.Build.DeviceBuild;
import dev.septum.verify.SemanticDiff;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a workspace against its base version: one build of each (the pipeline plans and renders
 * every device once), the unified config diff per device, and the packets whose verdict changes
 * (the verification engine's semantic diff over the same two builds).
 */
public final class WorkspaceBuild {
    /**
     * @param base the base version's build; empty when there is none, or it has errors (every device is then new)
     */
    public record Outcome(PolicyBuild workspace, Optional<PolicyBuild> base, List<DeviceBuild> devices,
                          List<SemanticDiff.Change> changes) {
        public boolean ok() {
            return workspace.ok();
        }

        /** The loader's findings and every device's refusals. */
        public List<Diagnostic> diagnostics() {
            return workspace.diagnostics();
        }
    }

    private WorkspaceBuild() {
    }

    public static Outcome run(Map<String, String> baseFiles, Map<String, String> workspaceFiles) {
        return run(baseFiles, workspaceFiles, GroupResolver.STATIC);
    }

    /** As {@link #run(Map, Map)}, resolving groups with {@code resolver} for both builds. */
    public static Outcome run(Map<String, String> baseFiles, Map<String, String> workspaceFiles, GroupResolver resolver) {
        return run(baseFiles, resolver, workspaceFiles, resolver);
    }

    /**
     * @param baseSnapshot the base version's own resolution (replayed): a membership change shows
     *                     as the difference between what the base was built with and what the
     *                     workspace's sources answer now
     */
    public static Outcome run(Map<String, String> baseFiles, GroupResolver baseSnapshot, Map<String, String> workspaceFiles,
                              GroupResolver resolver) {
        PolicyBuild after = PolicyFiles.build(workspaceFiles, resolver);
        if (!after.ok()) {
            return new Outcome(after, Optional.empty(), List.of(), List.of());
        }
        Optional<PolicyBuild> before = baseFiles.isEmpty() ? Optional.empty()
                : Optional.of(PolicyFiles.build(baseFiles, baseSnapshot)).filter(PolicyBuild::ok);
        Map<String, String> beforeConfigs = new HashMap<>();
        before.ifPresent(b -> b.deviceConfigs().forEach(c -> beforeConfigs.put(c.device(), c.config())));
        List<DeviceBuild> devices = after.deviceConfigs().stream().map(c -> {
            List<String> diff = ConfigDiff.unified(c.device(), beforeConfigs.getOrDefault(c.device(), ""), c.config());
            return new DeviceBuild(c.device(), c.platform(), !diff.isEmpty(), c.config(),
                    diff.isEmpty() ? "" : String.join("\n", diff) + "\n");
        }).toList();
        List<SemanticDiff.Change> changes = before.map(b -> SemanticDiff.compare(b, after)).orElse(List.of());
        return new Outcome(after, before, devices, changes);
    }
}
