package dev.septum.server.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.septum.model.Device;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.write.PolicyIdPins;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.build.WorkspaceBuild;
import dev.septum.server.store.Build;
import dev.septum.server.store.ChangeControlStore;
import dev.septum.server.store.Clock;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.Role;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.server.store.WorkspaceStore;
import dev.septum.server.workflow.FileMerge;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Every change happens in a workspace: a copy of the newest version, edited file by file, built
 * (compiled for every device, diffed, semantically compared), then submitted as a change control.
 */
final class WorkspaceRoutes {
    private static final Pattern WORKSPACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
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
                Endpoint.of(GET, "/api/workspaces", Role.VIEWER, "List workspaces", this::list),
                Endpoint.of(POST, "/api/workspaces", Role.EDITOR, "Create a workspace from the newest version", this::create)
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
                        "Submit a built workspace: creates a change control; refused when a newer version changed the same files",
                        this::submit).withBody("{\"message\": \"allow SSH from admins\"}").created());
    }

    private void list(Context ctx, User caller) {
        ctx.json(Map.of("workspaces", s.workspaces().list().stream().map(Views::workspace).toList()));
    }

    private void create(Context ctx, User caller) {
        Body body = Body.parse(ctx.body(), Set.of("name"), "{\"name\": \"add-ssh-rule\"}");
        String name = body.string("name", "name the workspace, e.g. \"add-ssh-rule\"");
        if (!WORKSPACE_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("name", "'" + name + "' is not a workspace name",
                    "use letters, digits, '_', '-' and '.' (at most 128), starting with a letter or digit");
        }
        if (s.workspaces().byName(name).isPresent()) {
            throw ApiError.conflict("name", "a workspace named '" + name + "' exists", "pick another name");
        }
        Workspace w = s.workspaces().create(caller.name(), name);
        ctx.status(201).json(Views.workspace(w));
    }

    private Workspace find(Context ctx) {
        return writes.find(ctx);
    }

    private void get(Context ctx, User caller) {
        Workspace w = find(ctx);
        Map<String, Object> view = Views.workspace(w);
        view.put("files", List.copyOf(s.workspaces().files(w.id()).keySet()));
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
        SortedMap<String, String> base = w.baseVersionId().map(v -> s.policies().files(v)).orElse(new TreeMap<>());
        SortedMap<String, String> files = s.workspaces().files(w.id());
        WorkspaceBuild.Outcome outcome = WorkspaceBuild.run(base, files);
        List<Map<String, Object>> diagnostics = Views.diagnostics(outcome.diagnostics());
        Build build = new Build(w.id(), w.revision(), outcome.ok(), caller.name(), Clock.now(), Json.write(diagnostics),
                Json.write(outcome.changes().stream().map(Views::change).toList()), outcome.devices());
        s.workspaces().saveBuild(build);
        ctx.status(outcome.ok() ? 200 : 400).json(outcome.ok() ? Views.build(build, w.revision()) : Map.of("error", Views.map(
                "status", 400, "field", "files", "problem", "the workspace does not build: " + diagnostics.stream()
                        .filter(d -> "error".equals(d.get("severity"))).count() + " error(s)",
                "fix", "fix each diagnostic and build again"), "diagnostics", diagnostics));
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
        Build b = latestBuild(w);
        StringBuilder text = new StringBuilder();
        text.append("workspace ").append(w.name()).append(" (").append(w.id()).append("), build of revision ").append(b.revision())
                .append(b.revision() != w.revision() ? " (stale: edited since)" : "").append(b.ok() ? "" : " FAILED").append('\n');
        text.append("\nverdict changes:\n");
        var changes = Json.read(b.semanticDiff());
        if (changes.isEmpty()) {
            text.append("  none\n");
        }
        changes.forEach(c -> text.append("  ").append(c.path("summary").asString()).append('\n'));
        text.append("\nconfig changes:\n");
        b.devices().stream().filter(Build.DeviceBuild::changed).forEach(d -> text.append(d.configDiff()));
        if (b.devices().stream().noneMatch(Build.DeviceBuild::changed)) {
            text.append("  none\n");
        }
        ctx.contentType("text/plain; charset=utf-8").result(text.toString());
    }

    private void submit(Context ctx, User caller) {
        Workspace w = WorkspaceWrites.open(find(ctx));
        Body body = Body.parse(ctx.body(), Set.of("message"), "{\"message\": \"allow SSH from admins\"}");
        String message = body.optionalString("message", "a short description of the change").orElse("workspace " + w.name());
        Build b = latestBuild(w);
        if (!b.ok() || b.revision() != w.revision()) {
            throw ApiError.conflict("build", b.ok() ? "the build is stale: the workspace was edited after it"
                    : "the latest build failed", "build again with POST /api/workspaces/" + w.id() + "/build and review it");
        }
        Set<String> targeted = s.targets().list().stream().map(TargetStore.Target::device).collect(Collectors.toSet());
        long ccId;
        try {
            ccId = s.db().write(h -> {
                Workspace current = WorkspaceStore.get(h, w.id()).orElseThrow();
                if (current.revision() != b.revision() || current.state() != Workspace.State.OPEN) {
                    throw ApiError.conflict("build", "the workspace changed while submitting", "build again and submit");
                }
                Map<String, String> base = current.baseVersionId().map(v -> (Map<String, String>) PolicyStore.files(h, v)).orElse(Map.of());
                Optional<PolicyVersion> head = PolicyStore.head(h);
                Map<String, String> headFiles = head.map(v -> (Map<String, String>) PolicyStore.files(h, v.id())).orElse(Map.of());
                return switch (FileMerge.merge(base, headFiles, WorkspaceStore.files(h, w.id()))) {
                    case FileMerge.Result.NothingChanged n -> throw ApiError.badRequest("files", "the workspace changes nothing",
                            "edit a file first, or delete the workspace");
                    case FileMerge.Result.Conflict c -> throw new ApiError(409, "files", "version " + head.map(PolicyVersion::id).orElse(0L)
                            + " changed " + (c.objects().isEmpty() ? String.join(", ", c.files()) : String.join(", ", c.objects()))
                            + " after this workspace was created from version " + current.baseVersionId().orElse(0L)
                            + " and this workspace changed them too; submitting would undo that change",
                            "create a new workspace from the newest version, reapply this change there, build and submit",
                            Map.of("conflicts", c.files(), "objects", c.objects(), "newestVersion", head.map(PolicyVersion::id).orElse(0L)));
                    case FileMerge.Result.Merged m -> {
                        SortedMap<String, String> pinned = PolicyIdPins.pin(headFiles, m.files());
                        LoadedPolicy merged = PolicyFiles.load(pinned);
                        if (merged.hasErrors()) {
                            throw new ApiError(409, "files", "combined with the newest version, the policy has errors",
                                    "create a new workspace from the newest version and reapply the change",
                                    Map.of("diagnostics", Views.diagnostics(merged.diagnostics())));
                        }
                        PolicyVersion v = PolicyStore.append(h, caller.name(), "workspace " + current.name() + ": " + message, pinned);
                        List<String> devices = new ArrayList<>();
                        // the canary (stage 1) is the first device that will really be deployed
                        merged.model().devices().values().stream().map(Device::name).filter(targeted::contains).forEach(devices::add);
                        merged.model().devices().values().stream().map(Device::name).filter(d -> !targeted.contains(d)).forEach(devices::add);
                        yield ChangeControlStore.create(h, caller.name(), current, v.id(), message, devices);
                    }
                };
            });
        } catch (UnableToExecuteStatementException raced) {
            // the UNIQUE parent of policy_versions: another submit stored a version at the same moment
            throw ApiError.conflict("files", "another change was stored at the same moment", "submit again; it will be checked against it");
        }
        ctx.status(201).json(Views.changeControl(s.changeControls().get(ccId).orElseThrow()));
    }
}
