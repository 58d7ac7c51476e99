package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Review and deployment: approve (by someone who neither edited nor submitted the change), reject
 * or withdraw, then run. The rules are {@link dev.septum.server.workflow.ChangeWorkflow}'s.
 */
final class ChangeControlRoutes {
    private static final String REJECT_EXAMPLE = "{\"reason\": \"the rule is wider than the ticket asks\"}";

    private final Services s;

    ChangeControlRoutes(Services s) {
        this.s = s;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(GET, "/api/change-controls", Role.VIEWER, "List change controls, oldest first, a page at a time", this::list)
                        .withQuery(Params.pageQuery()),
                Endpoint.of(GET, "/api/change-controls/{id}", Role.VIEWER,
                        "One change control with each device's result; 'attention' lists devices in an unknown state; 'breakset' is the "
                                + "break-set it was submitted with and who acknowledged it", this::get),
                Endpoint.of(GET, "/api/change-controls/{id}/review", Role.VIEWER,
                        "What the change control deploys, as text: its build's hash, the break-set it was submitted with, changed "
                                + "verdicts and each device's config diff against the deployed version", this::review),
                Endpoint.of(POST, "/api/change-controls/{id}/approve", Role.APPROVER,
                        "Approve a change control's build (four eyes: not by its submitter nor anyone who edited its workspace)",
                        (ctx, caller) -> ctx.json(Views.changeControl(s.workflow().approve(caller, Params.id(ctx, "id"))))),
                Endpoint.of(POST, "/api/change-controls/{id}/reject", Role.APPROVER,
                        "Reject a pending change control; its version never runs and its workspace opens again", this::reject)
                        .withBody(REJECT_EXAMPLE),
                Endpoint.of(POST, "/api/change-controls/{id}/withdraw", Role.EDITOR,
                        "Withdraw a pending or approved change control (its submitter or an admin); its workspace opens again",
                        (ctx, caller) -> ctx.json(Views.changeControl(s.workflow().withdraw(caller, Params.id(ctx, "id"))))),
                Endpoint.of(POST, "/api/change-controls/{id}/run", Role.APPROVER,
                        "Deploy the approved build: the first device, then the rest; stops and rolls back on failure. "
                                + "Returns 202 at once, or the finished change control with ?wait=true", this::run));
    }

    private void list(Context ctx, User caller) {
        Params.Page page = Params.page(ctx);
        List<ChangeControl> list = s.changeControls().page(page.after(), page.limit());
        ctx.json(Views.map("changeControls", list.stream().map(Views::changeControl).toList(),
                "next", page.next(list.stream().map(ChangeControl::id).toList())));
    }

    private void get(Context ctx, User caller) {
        ChangeControl cc = s.workflow().find(Params.id(ctx, "id"));
        Map<String, Object> view = new LinkedHashMap<>(Views.changeControl(cc));
        KeptBreakSet.of(s, cc.id()).ifPresent(b -> view.put("breakset", b));
        ctx.json(view);
    }

    private void review(Context ctx, User caller) {
        ChangeControl cc = s.workflow().find(Params.id(ctx, "id"));
        var w = s.workspaces().get(cc.workspaceId()).orElseThrow();
        var build = s.workspaces().build(w.id()).orElseThrow(() -> ApiError.notFound("the build of change control " + cc.id(),
                "withdraw it, build the workspace again and submit it"));
        String header = "change control " + cc.id() + " (" + cc.state().key() + "): version " + cc.versionId() + " against deployed version "
                + cc.runningVersionId().map(String::valueOf).orElse("none (every device shown whole)") + "\nbuild hash " + build.hash()
                + cc.approvedHash().map(h -> h.equals(build.hash()) ? " (approved)" : " (NOT the approved " + h + ")").orElse("") + "\n\n";
        String breaks = KeptBreakSet.of(s, cc.id()).map(KeptBreakSet::text).orElse("");
        ctx.contentType("text/plain; charset=utf-8").result(header + breaks + Views.review(w, build));
    }

    private void reject(Context ctx, User caller) {
        Body body = Body.parse(ctx.body(), Set.of("reason"), REJECT_EXAMPLE);
        String reason = body.optionalString("reason", Limits.MESSAGE, "say why, e.g. " + REJECT_EXAMPLE).orElse("no reason given");
        ctx.json(Views.changeControl(s.workflow().reject(caller, Params.id(ctx, "id"), reason)));
    }

    private void run(Context ctx, User caller) throws InterruptedException {
        boolean wait = Params.flag(ctx, "wait");
        ChangeControl cc = s.workflow().run(caller, Params.id(ctx, "id"), wait);
        ctx.status(wait ? 200 : 202).json(Views.changeControl(cc));
    }
}
