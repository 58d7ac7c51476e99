package dev.septum.server.ui;

import dev.septum.server.api.Body;
import dev.septum.server.api.BreakSets;
import dev.septum.server.api.KeptBreakSet;
import dev.septum.server.api.Limits;
import dev.septum.server.api.Params;
import dev.septum.server.api.Services;
import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.Role;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * Change controls: the list, one change control with the actions its state and the viewer's role
 * allow (approve, reject, withdraw, run), and its live progress per device, polled while it runs.
 * Every action is {@link dev.septum.server.workflow.ChangeWorkflow}'s, so the four-eyes rule and
 * the approved-build check hold here exactly as in the REST API.
 */
final class ChangeControlPages {
    private static final int LISTED = 100;

    private final WebUi ui;
    private final Services s;

    ChangeControlPages(WebUi ui) {
        this.ui = ui;
        this.s = ui.services();
    }

    public record ListView(Chrome chrome, List<ChangeControl> changes) {
    }

    /**
     * @param may        the actions offered: approve, reject, withdraw, run
     * @param rollbackTo the version a viewer may roll back to once this change ran: the one it replaced
     */
    /** @param breakSet the break-set the change control was submitted with, as review text */
    public record ChangeView(Chrome chrome, ChangeControl cc, ProgressView progress, List<String> may, Optional<Long> rollbackTo,
                             Optional<String> breakSet) {
    }

    /** The per-device part of a change control, re-rendered on each poll while {@code live}. */
    public record ProgressView(long id, String state, boolean live, List<ChangeControl.DeviceResult> devices, List<String> attention) {
        static ProgressView of(ChangeControl cc) {
            return new ProgressView(cc.id(), cc.state().key(), cc.state() == ChangeControl.State.RUNNING, cc.devices(),
                    cc.devices().stream().filter(d -> d.state() == ChangeControl.DeviceState.UNKNOWN).map(ChangeControl.DeviceResult::device)
                            .toList());
        }
    }

    void register(WebUi.Routes routes) {
        routes.get("/change-controls", Role.VIEWER, (ctx, viewer) -> ui.render(ctx, "changes.jte",
                new ListView(ui.chrome(viewer, "Change controls", "changes", Optional.empty()), s.changeControls().newest(LISTED))));
        routes.get("/change-controls/{id}", Role.VIEWER, this::show);
        routes.get("/change-controls/{id}/progress", Role.VIEWER, (ctx, viewer) -> ui.render(ctx, "progress.jte",
                ProgressView.of(s.workflow().find(Params.id(ctx, "id")))));
        routes.post("/change-controls/{id}/approve", Role.APPROVER, (ctx, viewer) -> done(ctx, s.workflow().approve(viewer.user(), id(ctx))));
        routes.post("/change-controls/{id}/reject", Role.APPROVER, (ctx, viewer) -> {
            String reason = Body.limited("reason", Optional.ofNullable(ctx.formParam("reason")).orElse("").strip(), Limits.MESSAGE);
            done(ctx, s.workflow().reject(viewer.user(), id(ctx), reason.isEmpty() ? "no reason given" : reason));
        });
        routes.post("/change-controls/{id}/withdraw", Role.EDITOR, (ctx, viewer) -> done(ctx, s.workflow().withdraw(viewer.user(), id(ctx))));
        routes.post("/versions/{id}/rollback", Role.EDITOR, (ctx, viewer) -> {
            String message = Body.limited("message", Optional.ofNullable(ctx.formParam("message")).orElse("").strip(), Limits.MESSAGE);
            // the gate of the island's submit; a refused rollback's workspace stays open for review
            done(ctx, s.workflow().rollback(viewer.user(), id(ctx), message.isEmpty() ? "rollback" : message,
                    BreakSets.gate(s, "true".equals(ctx.formParam(BreakSets.ACKNOWLEDGE)), w -> "if those sessions may change, tick 'it may "
                            + "change observed sessions' and roll back again, or review workspace " + w.name() + " at /workspaces/" + w.id()
                            + "/review and submit it there with the box ticked")));
        });
        routes.post("/change-controls/{id}/run", Role.APPROVER, (ctx, viewer) -> done(ctx, s.workflow().run(viewer.user(), id(ctx), false)));
    }

    private static long id(Context ctx) {
        return Params.id(ctx, "id");
    }

    private static void done(Context ctx, ChangeControl cc) {
        WebUi.seeOther(ctx, "/change-controls/" + cc.id());
    }

    private void show(Context ctx, Viewer viewer) {
        ChangeControl cc = s.workflow().find(id(ctx));
        List<String> may = new java.util.ArrayList<>();
        boolean pending = cc.state() == ChangeControl.State.PENDING_APPROVAL;
        boolean approved = cc.state() == ChangeControl.State.APPROVED;
        if (pending && viewer.may(Role.APPROVER)) {
            may.addAll(List.of("approve", "reject"));
        }
        if ((pending || approved) && (viewer.user().name().equals(cc.submittedBy()) || viewer.may(Role.ADMIN))) {
            may.add("withdraw");
        }
        if (approved && viewer.may(Role.APPROVER)) {
            may.add("run");
        }
        Optional<Long> rollbackTo = cc.state() == ChangeControl.State.SUCCEEDED && viewer.may(Role.EDITOR) ? cc.baseVersionId()
                : Optional.empty();
        ui.render(ctx, "change.jte", new ChangeView(ui.chrome(viewer, "Change control " + cc.id(), "changes", Optional.empty()), cc,
                ProgressView.of(cc), may, rollbackTo, KeptBreakSet.of(s, cc.id()).map(KeptBreakSet::text)));
    }
}
