package dev.septum.server.build;

import dev.septum.compile.diff.ConfigDiff;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.compile.render.ConfigRenderer;
import dev.septum.compile.render.Renderers;
import dev.septum.model.PolicyModel;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.validate.Diagnostic;
import dev.septum.server.store.Build.DeviceBuild;
import dev.septum.verify.SemanticDiff;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a workspace against its base version: every device's config in both, the unified diff
 * per device, and the packets whose verdict changes (the verification engine's semantic diff).
 * The server never formats config itself; it calls the same planner and renderers as the CLI.
 */
public final class WorkspaceBuild {
    /**
     * @param problems renderer refusals, as one line per device
     */
    public record Outcome(LoadedPolicy loaded, List<DeviceBuild> devices, List<SemanticDiff.Change> changes,
                          List<String> problems) {
        public boolean ok() {
            return !loaded.hasErrors() && problems.isEmpty();
        }

        public List<Diagnostic> diagnostics() {
            return loaded.diagnostics();
        }
    }

    private WorkspaceBuild() {
    }

    public static Outcome run(Map<String, String> baseFiles, Map<String, String> workspaceFiles) {
        LoadedPolicy after = PolicyFiles.load(workspaceFiles);
        if (after.hasErrors()) {
            return new Outcome(after, List.of(), List.of(), List.of());
        }
        // a base with errors (or no base at all) compares as nothing: every device is new
        Optional<PolicyModel> before = baseFiles.isEmpty() ? Optional.empty()
                : Optional.of(PolicyFiles.load(baseFiles)).filter(l -> !l.hasErrors()).map(LoadedPolicy::model);
        Map<String, String> beforeConfigs = new HashMap<>();
        before.ifPresent(model -> DevicePlanner.plan(model).forEach(p -> {
            try {
                render(p).ifPresent(text -> beforeConfigs.put(p.name(), text));
            } catch (IllegalArgumentException refused) {
                // the base could not be rendered for this device either; its diff starts from nothing
            }
        }));
        List<DeviceBuild> devices = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (DevicePlan plan : DevicePlanner.plan(after.model())) {
            String config;
            try {
                config = render(plan).orElse("");
            } catch (IllegalArgumentException e) {
                problems.add("device '" + plan.name() + "': " + e.getMessage());
                continue;
            }
            String old = beforeConfigs.getOrDefault(plan.name(), "");
            List<String> diff = ConfigDiff.unified(plan.name(), old, config);
            devices.add(new DeviceBuild(plan.name(), plan.device().platform().keyword(), !diff.isEmpty(), config,
                    diff.isEmpty() ? "" : String.join("\n", diff) + "\n"));
        }
        List<SemanticDiff.Change> changes = before.map(b -> SemanticDiff.compare(b, after.model())).orElse(List.of());
        return new Outcome(after, devices, changes, problems);
    }

    private static Optional<String> render(DevicePlan plan) {
        // renderers refuse what their platform cannot express (IllegalArgumentException): reported per device
        Optional<ConfigRenderer> renderer = Renderers.forPlatform(plan.device().platform());
        return renderer.map(r -> r.render(plan));
    }
}
