package dev.septum.server.api;

import static io.javalin.http.HandlerType.POST;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.server.build.StoredBuilds;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.StaleAnalysis;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * "Remove stale rules": the rules of a workspace that decided none of the flow store's sessions in
 * the window are deleted from it, each as an object edit (its lines only), and the answer shows
 * the break-set of the removal over the same sessions, which says it is empty. The workspace is
 * then built, reviewed and submitted like any other change.
 */
final class StaleRoutes {
    private static final String SINCE = "since";
    private static final String DEFAULT_WINDOW = "30d";

    private final Services s;
    private final WorkspaceWrites writes;
    private final ObjectEdits edits;

    StaleRoutes(Services s) {
        this.s = s;
        this.writes = new WorkspaceWrites(s);
        this.edits = new ObjectEdits(s);
    }

    List<Endpoint> endpoints() {
        SequencedMap<String, String> query = new LinkedHashMap<>();
        query.put(SINCE, "the observation window: a duration back from now or an ISO instant (default " + DEFAULT_WINDOW + ")");
        return List.of(Endpoint.of(POST, "/api/workspaces/{id}/remove-stale", Role.EDITOR,
                "Delete the workspace's rules that decided no stored session in the window; answers the rules removed, the "
                        + "rule-use report and the removal's break-set over the same sessions", this::removeStale).withQuery(query));
    }

    private void removeStale(Context ctx, User caller) {
        Params.only(ctx, "POST /api/workspaces/{id}/remove-stale", List.of(SINCE));
        Workspace w = WorkspaceWrites.open(writes.find(ctx));
        String label = "workspace " + w.name() + " (" + w.id() + ")";
        String window = Optional.ofNullable(ctx.queryParam(SINCE)).filter(v -> !v.isEmpty()).orElse(DEFAULT_WINDOW);
        BreakSetAnalysis.Observed observed = BreakSets.observed(s, window, SINCE);
        PolicyBuild before = AnalysisRoutes.built("files", label, s.workspaces().files(w.id()),
                StoredBuilds.replay(s.workspaces().resolution(w.id(), w.revision())));
        StaleAnalysis.Result stale = StaleAnalysis.of(before, label, observed, BreakSets.counters(s, window, SINCE));
        edits.deleteRules(caller, w.id(), stale.stale());
        // removing rules changes no group, so the edited files replay the same members
        PolicyBuild after = AnalysisRoutes.built("files", label, s.workspaces().files(w.id()), GroupResolver.replay(before.resolution()));
        Analysis breaks = BreakSetAnalysis.of(before, label + " before", after, label, observed);
        ctx.json(Views.map("workspace", w.id(), "removed", stale.stale(), "stale", stale.analysis().tree(), "breakset", breaks.tree()));
    }
}
