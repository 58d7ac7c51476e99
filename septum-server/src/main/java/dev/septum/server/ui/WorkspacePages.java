package dev.septum.server.ui;

import dev.septum.server.api.BreakSets;
import dev.septum.server.api.ApiError;
import dev.septum.server.api.Json;
import dev.septum.server.api.Limits;
import dev.septum.server.api.Body;
import dev.septum.server.api.ExpiredRoutes;
import dev.septum.server.api.Params;
import dev.septum.server.api.Services;
import dev.septum.server.api.WorkspaceWrites;
import dev.septum.server.store.Build;
import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.Role;
import dev.septum.server.store.Workspace;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Workspaces and what the island does with one: create, build, review the build (each device's
 * config diff and the semantic diff) and submit, all through {@link dev.septum.server.workflow.ChangeWorkflow}
 * as the REST routes do.
 */
final class WorkspacePages {
    private static final int LISTED = 200;

    private final WebUi ui;
    private final Services s;
    private final WorkspaceWrites writes;

    WorkspacePages(WebUi ui) {
        this.ui = ui;
        this.s = ui.services();
        this.writes = new WorkspaceWrites(s);
    }

    /** The newest open workspaces; submitted ones are found through their change controls. */
    /** @param nothingExpired the last "expired rules" request found none */
    public record WorkspacesView(Chrome chrome, List<Workspace> open, boolean mayEdit, boolean nothingExpired) {
    }

    /**
     * A build for review.
     *
     * @param state ok, stale or failed
     */
    public record ReviewView(Chrome chrome, long workspace, String name, String state, String hash, String builtBy, String builtAt,
                             List<String> errors, List<VerdictChange> changes, List<Build.DeviceBuild> devices,
                             List<Build.TargetScript> scripts, boolean maySubmit) {
    }

    /** One changed verdict of the semantic diff, with an example packet and the rules deciding it before and after. */
    public record VerdictChange(String summary, String enforcedAt, String before, String after, String example, String decidedBefore,
                                String decidedAfter) {
        static VerdictChange of(JsonNode c) {
            return new VerdictChange(c.path("summary").asString(""), c.path("enforcedAt").asString(""), c.path("before").asString(""),
                    c.path("after").asString(""), c.path("example").asString(""), c.path("decidedBefore").asString(""),
                    c.path("decidedAfter").asString(""));
        }
    }

    void register(WebUi.Routes routes) {
        routes.get("/workspaces", Role.VIEWER, (ctx, viewer) -> {
            ui.render(ctx, "workspaces.jte", new WorkspacesView(ui.chrome(viewer, "Workspaces", "policy", Optional.empty()),
                    s.workspaces().openNewest(LISTED), viewer.may(Role.EDITOR), "none".equals(ctx.queryParam("expired"))));
        });
        // the same removal workspace as POST /api/rules/expired/workspace and the schedule
        routes.post("/rules/expired/workspace", Role.EDITOR, (ctx, viewer) -> {
            ExpiredRoutes.Removal removal = new ExpiredRoutes(s).open(viewer.user());
            WebUi.seeOther(ctx, removal.workspace().map(w -> "/workspaces/" + w.id() + "/objects/policies").orElse("/workspaces?expired=none"));
        });
        routes.post("/workspaces", Role.EDITOR, (ctx, viewer) -> {
            String name = Body.limited("name", Optional.ofNullable(ctx.formParam("name")).orElse("").strip(), Limits.NAME);
            Workspace w = writes.create(viewer.user(), name);
            WebUi.seeOther(ctx, "/workspaces/" + w.id() + "/objects/policies");
        });
        routes.get("/workspaces/{id}", Role.VIEWER, (ctx, viewer) -> WebUi.seeOther(ctx, "/workspaces/" + workspace(ctx).id()
                + "/objects/policies"));
        routes.post("/workspaces/{id}/build", Role.EDITOR, (ctx, viewer) -> {
            Workspace w = workspace(ctx);
            s.workflow().build(viewer.user(), w);
            WebUi.seeOther(ctx, "/workspaces/" + w.id() + "/review");
        });
        routes.get("/workspaces/{id}/review", Role.VIEWER, this::review);
        routes.post("/workspaces/{id}/submit", Role.EDITOR, (ctx, viewer) -> {
            Workspace w = workspace(ctx);
            String message = Body.limited("message", Optional.ofNullable(ctx.formParam("message")).orElse("").strip(), Limits.MESSAGE);
            // the same gate as the REST submit: breaking observed sessions needs the box ticked
            ChangeControl cc = BreakSets.submit(s, viewer.user(), w, message.isEmpty() ? "workspace " + w.name() : message,
                    "true".equals(ctx.formParam(BreakSets.ACKNOWLEDGE)), "if those sessions may change, tick 'it may change observed "
                            + "sessions' in the workspace island and submit again; the change control keeps them for its approver");
            WebUi.seeOther(ctx, "/change-controls/" + cc.id());
        });
    }

    private Workspace workspace(Context ctx) {
        return writes.find(Params.id(ctx, "id"));
    }

    private void review(Context ctx, Viewer viewer) {
        Workspace w = workspace(ctx);
        Build b = s.workspaces().build(w.id()).orElseThrow(() -> ApiError.notFound("a build of workspace " + w.name(),
                "build it with the Build button of the workspace island"));
        List<String> errors = new ArrayList<>();
        Json.read(b.diagnostics()).forEach(d -> {
            if ("error".equals(d.path("severity").asString(""))) {
                errors.add(d.path("message").asString(""));
            }
        });
        List<VerdictChange> changes = new ArrayList<>();
        Json.read(b.semanticDiff()).forEach(c -> changes.add(VerdictChange.of(c)));
        String state = !b.ok() ? "failed" : b.revision() == w.revision() ? "ok" : "stale";
        ui.render(ctx, "review.jte", new ReviewView(ui.chrome(viewer, "Review " + w.name(), "policy", Optional.of(w)), w.id(), w.name(),
                state, b.hash(), b.builtBy(), b.builtAt(), errors, changes, b.devices().stream().filter(Build.DeviceBuild::changed).toList(),
                b.scripts(), state.equals("ok") && w.state() == Workspace.State.OPEN && viewer.may(Role.EDITOR)));
    }
}
