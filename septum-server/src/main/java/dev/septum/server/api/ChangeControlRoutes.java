package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** Review and deployment: approve (by someone else than the submitter), then run. */
final class ChangeControlRoutes {
    private final Services s;

    ChangeControlRoutes(Services s) {
        this.s = s;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(GET, "/api/change-controls", Role.VIEWER, "List change controls", this::list),
                Endpoint.of(GET, "/api/change-controls/{id}", Role.VIEWER,
                        "One change control with each device's result; 'attention' lists devices in an unknown state", this::get),
                Endpoint.of(POST, "/api/change-controls/{id}/approve", Role.APPROVER,
                        "Approve a change control someone else submitted (four eyes)", this::approve),
                Endpoint.of(POST, "/api/change-controls/{id}/run", Role.APPROVER,
                        "Deploy an approved change control: the first device, then the rest; stops and rolls back on failure. "
                                + "Returns 202 at once, or the finished change control with ?wait=true", this::run));
    }

    private void list(Context ctx, User caller) {
        ctx.json(Map.of("changeControls", s.changeControls().list().stream().map(Views::changeControl).toList()));
    }

    private ChangeControl find(Context ctx) {
        long id = Params.id(ctx, "id");
        return s.changeControls().get(id).orElseThrow(() -> ApiError.notFound("change control " + id,
                "list change controls with GET /api/change-controls"));
    }

    private void get(Context ctx, User caller) {
        ctx.json(Views.changeControl(find(ctx)));
    }

    private void approve(Context ctx, User caller) {
        ChangeControl cc = find(ctx);
        if (s.fourEyes() && cc.submittedBy().equals(caller.name())) {
            throw new ApiError(403, "", "change control " + cc.id() + " was submitted by " + caller.name()
                    + "; the four-eyes rule needs another approver", "ask a different user with the approver role to approve it");
        }
        if (!s.changeControls().transition(caller.name(), cc.id(), ChangeControl.State.PENDING_APPROVAL, ChangeControl.State.APPROVED,
                "approved")) {
            throw ApiError.conflict("state", "change control " + cc.id() + " is " + cc.state().key() + ", not pending-approval",
                    "only a submitted change control can be approved");
        }
        ctx.json(Views.changeControl(s.changeControls().get(cc.id()).orElseThrow()));
    }

    private void run(Context ctx, User caller) throws InterruptedException {
        ChangeControl cc = find(ctx);
        boolean wait = Params.flag(ctx, "wait");
        if (!s.changeControls().transition(caller.name(), cc.id(), ChangeControl.State.APPROVED, ChangeControl.State.RUNNING, "run")) {
            throw ApiError.conflict("state", "change control " + cc.id() + " is " + cc.state().key() + ", not approved",
                    cc.state() == ChangeControl.State.PENDING_APPROVAL ? "have another user approve it first"
                            : "a change control runs once; submit a new workspace to deploy again");
        }
        Thread worker = Thread.ofVirtual().name("change-control-" + cc.id()).start(() -> s.runner().execute(caller.name(), cc.id()));
        if (wait) {
            worker.join();
            ctx.json(Views.changeControl(s.changeControls().get(cc.id()).orElseThrow()));
        } else {
            ctx.status(202).json(Views.changeControl(s.changeControls().get(cc.id()).orElseThrow()));
        }
    }
}
