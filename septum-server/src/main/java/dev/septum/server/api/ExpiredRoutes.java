package dev.septum.server.api;

import static io.javalin.http.HandlerType.POST;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.model.Rule;
import dev.septum.server.build.StoredBuilds;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.server.store.WorkspaceStore;
import dev.septum.server.workflow.GroupRefresh;
import dev.septum.verify.Finding;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.ExpiryFindings;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * "An expired exception produces its removal workspace": the rules of the newest approved version
 * that {@code check} reports as {@code expired} are deleted, each as an object edit, in a workspace
 * opened by the refresh's system author, and the answer shows the removal's break-set over the
 * past {@link BreakSets#WINDOW}, so the reviewer sees what the removal would block. Expiry never
 * removes a rule by itself: the workspace follows the normal review and approval.
 */
public final class ExpiredRoutes {
    private static final String PATH = "/api/rules/expired/workspace";
    private static final int NAME_LIMIT = 128;

    private final Services s;
    private final WorkspaceWrites writes;
    private final ObjectEdits edits;

    public ExpiredRoutes(Services s) {
        this.s = s;
        this.writes = new WorkspaceWrites(s);
        this.edits = new ObjectEdits(s);
    }

    /** One expired rule of the version and who answers for it. */
    private record Expired(String policy, Rule rule) {
        String path() {
            return policy + "/" + rule.name();
        }

        String audit() {
            return path() + " (owner " + rule.lifecycle().owner() + ", ticket "
                    + (rule.lifecycle().ticket().isEmpty() ? "none" : rule.lifecycle().ticket()) + ")";
        }
    }

    List<Endpoint> endpoints() {
        return List.of(Endpoint.of(POST, PATH, Role.EDITOR, "Open a workspace, authored by " + GroupRefresh.ACTOR + ", deleting the newest "
                + "approved version's expired rules (past their 'expires' day); not opened twice while the same one is open or submitted "
                + "on the same version. Answers the workspace, the rules removed and the removal's break-set over the past "
                + BreakSets.WINDOW + " of stored sessions; 'nothing expired' and no workspace when no rule expired", this::open));
    }

    private void open(Context ctx, User caller) {
        Params.only(ctx, "POST " + PATH, List.of());
        ctx.json(open(caller).answer());
    }

    /**
     * What opening the removal did: the answer of the route, and the workspace when there is one
     * ({@code opened}: this call opened it).
     */
    public record Removal(Map<String, Object> answer, Optional<Workspace> workspace, boolean opened) {
    }

    /** Opens the removal workspace of the newest approved version's expired rules, unless it is open already. */
    public Removal open(User caller) {
        PolicyVersion version = s.policies().current().orElseThrow(() -> new ApiError(409, "", "there is no approved version yet",
                "import a policy first (POST /api/versions)"));
        String label = "version " + version.id();
        PolicyBuild before = AnalysisRoutes.built("files", label, s.policies().files(version.id()),
                StoredBuilds.replay(s.policies().resolution(version.id())));
        List<Expired> expired = expired(before);
        if (expired.isEmpty()) {
            return new Removal(Views.map("version", version.id(), "message", "nothing expired", "removed", List.of()), Optional.empty(), false);
        }
        List<String> removed = expired.stream().map(Expired::path).toList();
        String name = name(removed);
        // open, or submitted and waiting: the same removal on the same version is not opened twice
        Optional<Workspace> same = s.workspaces().byName(name).filter(w -> w.baseVersionId().equals(Optional.of(version.id())));
        Workspace w = same.orElseGet(() -> remove(caller, version, name, expired));
        PolicyBuild after = AnalysisRoutes.built("files", "workspace " + name, s.workspaces().files(w.id()),
                GroupResolver.replay(before.resolution()));
        Analysis breaks = BreakSetAnalysis.of(before, label, after, "workspace " + name + " (" + w.id() + ")",
                BreakSets.observed(s, BreakSets.WINDOW, ""));
        return new Removal(Views.map("version", version.id(), "workspace", Views.map("id", w.id(), "name", w.name(), "state", w.state().key()),
                "opened", same.isEmpty(), "removed", removed, "breakset", breaks.tree()), Optional.of(w), same.isEmpty());
    }

    private Workspace remove(User caller, PolicyVersion version, String name, List<Expired> expired) {
        String unique = s.workspaces().byName(name).isPresent() ? name + " #" + System.currentTimeMillis() : name;
        Workspace w = s.db().write(h -> WorkspaceStore.create(h, GroupRefresh.ACTOR, unique, Optional.empty()));
        edits.deleteRules(GroupRefresh.SYSTEM, w.id(), expired.stream().map(Expired::path).toList());
        s.audit().append(caller.name(), "rules.expired", "workspace " + unique, "version " + version.id() + ": workspace " + w.id()
                + " removes " + expired.stream().map(Expired::audit).collect(Collectors.joining("; ")));
        return writes.find(w.id());
    }

    /** The rules {@code check} reports as expired: one meaning of "expired", the check's. */
    private static List<Expired> expired(PolicyBuild build) {
        List<Finding> findings = ExpiryFindings.find(build.model(), LocalDate.now(ZoneOffset.UTC), 0);
        return findings.stream().filter(f -> f.kind().equals("expired")).map(f -> {
            String policy = f.where().substring("policy ".length());
            Rule rule = build.model().policies().get(policy).rules().stream().filter(r -> r.name().equals(f.subject())).findFirst()
                    .orElseThrow();
            return new Expired(policy, rule);
        }).toList();
    }

    /** {@code expired: vrf_all_home/vendor-ssh, ...}: the same removal gets the same name. */
    private static String name(List<String> removed) {
        String name = "expired: " + String.join(", ", removed);
        return name.length() > NAME_LIMIT ? name.substring(0, NAME_LIMIT - 3) + "..." : name;
    }
}
