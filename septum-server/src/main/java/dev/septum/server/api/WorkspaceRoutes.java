package dev.septum.server.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.septum.server.store.Build;
import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.RefreshStore;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.server.workflow.ChangeWorkflow;
import dev.septum.verify.analysis.Analysis;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every change happens in a workspace: a copy of the newest approved version, edited file by file,
 * built (compiled for every device, diffed, semantically compared), then submitted as a change
 * control. The rules live in {@link ChangeWorkflow}; these routes read requests and shape answers.
 */
final class WorkspaceRoutes {
    private static final String RULE_EXAMPLE = "policies:\n  - name: web\n    domain: lab\n    rules:\n      - name: ssh-in\n"
            + "        sources: [admins]\n        destinations: [web]\n        services: [SSH]\n        action: forward\n";

    private final Services s;
    private final WorkspaceWrites writes;

    WorkspaceRoutes(Services s) {
        this.s = s;
        this.writes = new WorkspaceWrites(s);
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(GET, "/api/workspaces", Role.VIEWER, "List workspaces, oldest first, a page at a time", this::list)
                        .withQuery(Params.pageQuery()),
                Endpoint.of(POST, "/api/workspaces", Role.EDITOR, "Create a workspace from the newest approved version", this::create)
                        .withBody("{\"name\": \"add-ssh-rule\"}").created(),
                Endpoint.of(GET, "/api/workspaces/{id}", Role.VIEWER, "One workspace and its file names", this::get),
                Endpoint.of(GET, "/api/workspaces/{id}/files", Role.VIEWER, "Every file of a workspace", this::files),
                Endpoint.of(GET, "/api/workspaces/{id}/files/{name}", Role.VIEWER, "One file of a workspace as YAML", this::file),
                Endpoint.of(PUT, "/api/workspaces/{id}/files/{name}", Role.EDITOR,
                        "Write a file (YAML body); refused with diagnostics when the workspace would have errors, "
                                + "unless ?allowErrors=true; If-Match: <revision> guards against overwriting another edit",
                        this::putFile).withYamlBody(RULE_EXAMPLE),
                Endpoint.of(DELETE, "/api/workspaces/{id}/files/{name}", Role.EDITOR, "Delete a file of a workspace", this::deleteFile),
                Endpoint.of(POST, "/api/workspaces/{id}/build", Role.EDITOR,
                        "Compile every device, store config diffs against the base version and the semantic diff", this::build),
                Endpoint.of(GET, "/api/workspaces/{id}/build", Role.VIEWER, "The latest build (stale when edited since)", this::getBuild),
                Endpoint.of(GET, "/api/workspaces/{id}/diff", Role.VIEWER,
                        "The latest build for review, as text: changed verdicts, then each device's config diff", this::diff),
                Endpoint.of(POST, "/api/workspaces/{id}/submit", Role.EDITOR,
                        "Submit a built workspace: merged onto the newest approved version as a pending version with a change control, "
                                + "built again against the deployed version for review; refused when an approved version changed the same objects, "
                                + "and when it alters the verdict of sessions observed in the past " + BreakSets.WINDOW
                                + " unless acknowledgeBreaks is true (the acknowledgement is audited)",
                        this::submit).withBody("{\"message\": \"allow SSH from admins\", \"acknowledgeBreaks\": false}").created());
    }

    private void list(Context ctx, User caller) {
        Params.Page page = Params.page(ctx);
        List<Workspace> workspaces = s.workspaces().page(page.after(), page.limit());
        Map<String, Object> answer = Views.map("workspaces", workspaces.stream().map(Views::workspace).toList(),
                "next", page.next(workspaces.stream().map(Workspace::id).toList()));
        ctx.json(answer);
    }

    private void create(Context ctx, User caller) {
        Body body = Body.parse(ctx.body(), Set.of("name"), "{\"name\": \"add-ssh-rule\"}");
        String name = body.string("name", Limits.NAME, "name the workspace, e.g. \"add-ssh-rule\"");
        ctx.status(201).json(Views.workspace(writes.create(caller, name)));
    }

    private Workspace find(Context ctx) {
        return writes.find(ctx);
    }

    private void get(Context ctx, User caller) {
        Workspace w = find(ctx);
        Map<String, Object> view = Views.workspace(w);
        view.put("files", s.workspaces().fileNames(w.id()));
        s.db().read(h -> RefreshStore.supersededBy(h, w.id())).ifPresent(newer -> view.put("supersededBy", newer));
        ctx.json(view);
    }

    private void files(Context ctx, User caller) {
        Workspace w = find(ctx);
        ctx.json(Map.of("workspace", w.id(), "revision", w.revision(), "files", s.workspaces().files(w.id())));
    }

    private void file(Context ctx, User caller) {
        String name = Params.fileName(ctx);
        Workspace w = find(ctx);
        String text = s.workspaces().files(w.id()).get(name);
        if (text == null) {
            throw ApiError.notFound("file " + name + " in workspace " + w.id(), "list its files with GET /api/workspaces/" + w.id());
        }
        ctx.header("ETag", String.valueOf(w.revision())).contentType("application/yaml; charset=utf-8").result(text);
    }

    private void putFile(Context ctx, User caller) {
        write(ctx, caller, Optional.of(ctx.body()));
    }

    private void deleteFile(Context ctx, User caller) {
        write(ctx, caller, Optional.empty());
    }

    private void write(Context ctx, User caller, Optional<String> content) {
        String name = Params.fileName(ctx);
        Workspace w = WorkspaceWrites.open(find(ctx));
        if (content.isEmpty() && !s.workspaces().files(w.id()).containsKey(name)) {
            throw ApiError.notFound("file " + name + " in workspace " + w.id(), "list its files with GET /api/workspaces/" + w.id());
        }
        ctx.json(writes.store(ctx, caller, w, name, content));
    }

    private void build(Context ctx, User caller) {
        Workspace w = find(ctx);
        ChangeWorkflow.Built built = s.workflow().build(caller, w);
        Build build = built.build();
        ctx.status(build.ok() ? 200 : 400).json(build.ok() ? Views.build(build, w.revision()) : Map.of("error", Views.map(
                "status", 400, "field", "files", "problem", "the workspace does not build: " + built.diagnostics().stream()
                        .filter(d -> "error".equals(d.get("severity"))).count() + " error(s)",
                "fix", "fix each diagnostic and build again"), "diagnostics", built.diagnostics()));
    }

    private Build latestBuild(Workspace w) {
        return s.workspaces().build(w.id()).orElseThrow(() -> ApiError.notFound("a build of workspace " + w.id(),
                "build it with POST /api/workspaces/" + w.id() + "/build"));
    }

    private void getBuild(Context ctx, User caller) {
        Workspace w = find(ctx);
        ctx.json(Views.build(latestBuild(w), w.revision()));
    }

    private void diff(Context ctx, User caller) {
        Workspace w = find(ctx);
        ctx.contentType("text/plain; charset=utf-8").result(Views.review(w, latestBuild(w)));
    }

    private void submit(Context ctx, User caller) {
        Workspace w = find(ctx);
        Body body = Body.parse(ctx.body(), Set.of("message", BreakSets.ACKNOWLEDGE), "{\"message\": \"allow SSH from admins\"}");
        String message = body.optionalString("message", Limits.MESSAGE, "a short description of the change").orElse("workspace " + w.name());
        ChangeControl cc = BreakSets.submit(s, caller, w, message, BreakSets.acknowledged(body), BreakSets.acknowledgeOverApi(w));
        ctx.status(201).json(Views.changeControl(cc));
    }
}
