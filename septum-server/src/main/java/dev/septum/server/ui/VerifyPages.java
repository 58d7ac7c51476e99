package dev.septum.server.ui;

import dev.septum.server.api.AnalysisRoutes;
import dev.septum.server.api.ApiError;
import dev.septum.server.api.Params;
import dev.septum.server.api.Services;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.Role;
import dev.septum.server.store.Workspace;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * Verification: check findings, the reachability matrix, a trace and a diff of a stored version or
 * a workspace, from the REST analyses ({@link AnalysisRoutes#run}), each answer laid out by the one
 * {@link AnalysisView}. The form is a GET, so an answer is a link to share.
 */
final class VerifyPages {
    /** Versions listed to pick from, newest first. */
    static final int VERSIONS_LISTED = 50;
    /** The analyses' words for a parameter they need and were not given. */
    private static final String MISSING = "is missing";

    private final WebUi ui;
    private final Services s;
    private final AnalysisRoutes analyses;

    VerifyPages(WebUi ui) {
        this.ui = ui;
        this.s = ui.services();
        this.analyses = new AnalysisRoutes(s);
    }

    public record IndexView(Chrome chrome, List<PolicyVersion> versions, List<Workspace> workspaces) {
    }

    /** @param error the problem of a field the form has no input for */
    public record Field(String name, String hint, String value, Optional<ApiError> error) {
    }

    /**
     * @param base     the path of the analysed policy's pages, e.g. {@code /versions/3/verify}
     * @param answer   empty when the form was not filled in yet, or the analysis refused it
     */
    public record AnalysisPage(Chrome chrome, String subject, String base, String kind, List<String> kinds, List<Field> fields,
                               Optional<ApiError> error, Optional<AnalysisView> answer) {
    }

    void register(WebUi.Routes routes) {
        routes.get("/verify", Role.VIEWER, this::index);
        routes.get("/versions/{id}/verify/{kind}", Role.VIEWER, (ctx, viewer) -> {
            long id = Params.id(ctx, "id");
            s.policies().version(id).orElseThrow(() -> ApiError.notFound("version " + id, "pick one at /verify"));
            page(ctx, viewer, false, "version " + id, "/versions/" + id + "/verify", Optional.empty());
        });
        routes.get("/workspaces/{id}/verify/{kind}", Role.VIEWER, (ctx, viewer) -> {
            long id = Params.id(ctx, "id");
            Workspace w = s.workspaces().get(id).orElseThrow(() -> ApiError.notFound("workspace " + id, "pick one at /verify"));
            page(ctx, viewer, true, "workspace " + w.name(), "/workspaces/" + id + "/verify", Optional.of(w));
        });
    }

    private void index(Context ctx, Viewer viewer) {
        long newest = s.db().<Optional<PolicyVersion>, RuntimeException>read(PolicyStore::head).map(PolicyVersion::id).orElse(0L);
        List<PolicyVersion> versions = new ArrayList<>(s.policies().page(Math.max(0, newest - VERSIONS_LISTED), VERSIONS_LISTED)
                .stream().map(Map.Entry::getKey).toList()).reversed();
        ui.render(ctx, "verify.jte", new IndexView(ui.chrome(viewer, "Verification", "verify", Optional.empty()), versions,
                s.workspaces().openNewest(VERSIONS_LISTED)));
    }

    private void page(Context ctx, Viewer viewer, boolean workspace, String subject, String base, Optional<Workspace> w) {
        String kind = ctx.pathParam("kind");
        SequencedMap<String, SequencedMap<String, String>> kinds = analyses.parameters();
        SequencedMap<String, String> parameters = Optional.ofNullable(kinds.get(kind)).orElseThrow(() -> ApiError.notFound(
                "an analysis '" + kind + "'", "use one of " + String.join(", ", kinds.keySet())));
        boolean asked = parameters.keySet().stream().anyMatch(p -> ctx.queryParam(p) != null);
        Optional<AnalysisView> answer = Optional.empty();
        Optional<ApiError> error = Optional.empty();
        try {
            answer = Optional.of(AnalysisView.of(analyses.run(kind, ctx, workspace)));
        } catch (ApiError e) {
            // an empty form is not a mistake: trace waits for its packet before it says a value is missing
            if (asked || !MISSING.equals(e.getMessage())) {
                error = Optional.of(e);
            }
        }
        Optional<ApiError> refused = error;
        List<Field> fields = parameters.entrySet().stream().map(p -> new Field(p.getKey(), p.getValue(),
                Optional.ofNullable(ctx.queryParam(p.getKey())).orElse(""), refused.filter(e -> e.field().equals(p.getKey())))).toList();
        Optional<ApiError> general = error.filter(e -> !parameters.containsKey(e.field()));
        int status = error.map(ApiError::status).orElse(200);
        ui.render(ctx, status, "analysis.jte", new AnalysisPage(ui.chrome(viewer, kind + " of " + subject, "verify", w), subject, base,
                kind, List.copyOf(kinds.keySet()), fields, general, answer));
    }
}
