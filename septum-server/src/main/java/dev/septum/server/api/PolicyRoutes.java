package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.septum.model.load.LoadedPolicy;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.Role;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Policy as code in and out: import a YAML directory as a new version, export any version file by
 * file, byte for byte what was imported, so git and the server stay interchangeable.
 */
final class PolicyRoutes {
    private static final String IMPORT_EXAMPLE = "{\"message\": \"import from git 1a2b3c\", \"files\": "
            + "{\"policies.yaml\": \"policies: []\\n\"}}";

    private final Services s;

    PolicyRoutes(Services s) {
        this.s = s;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(POST, "/api/versions", Role.ADMIN, "Import a policy directory (file name -> YAML text): the first "
                                + "version is approved by its import; later ones are submitted as a change control needing another user's approval",
                        this::importVersion).withBody(IMPORT_EXAMPLE).created(),
                Endpoint.of(GET, "/api/versions", Role.VIEWER, "List policy versions with their state and file names, oldest first, a page at a time",
                        this::list).withQuery(Params.pageQuery()),
                Endpoint.of(GET, "/api/versions/{id}", Role.VIEWER, "One version and its file names", this::version),
                Endpoint.of(GET, "/api/versions/{id}/files", Role.VIEWER, "Export a version: every file's YAML text", this::files),
                Endpoint.of(GET, "/api/versions/{id}/files/{name}", Role.VIEWER, "Export one file of a version as YAML", this::file),
                Endpoint.of(POST, "/api/versions/{id}/rollback", Role.EDITOR, "Roll back to an earlier approved version: its files are "
                                + "submitted as a change control, reviewed against what runs and approved by another user like any change; like a "
                                + "workspace submit it is refused (409, field acknowledgeBreaks, naming its workspace) while it alters the "
                                + "verdict of observed sessions unacknowledged, and keeps its break-set",
                        this::rollback).withBody(ROLLBACK_EXAMPLE).created());
    }

    private static final String ROLLBACK_EXAMPLE = "{\"message\": \"undo the SSH rule, it broke backups\"}";

    private void rollback(Context ctx, dev.septum.server.store.User caller) {
        Body body = Body.parse(ctx.body(), Set.of("message", BreakSets.ACKNOWLEDGE), ROLLBACK_EXAMPLE);
        String message = body.optionalString("message", Limits.MESSAGE, "why the policy goes back").orElse("rollback");
        ctx.status(201).json(Views.changeControl(s.workflow().rollback(caller, Params.id(ctx, "id"), message,
                BreakSets.gate(s, BreakSets.acknowledged(body), BreakSets::acknowledgeOverApi))));
    }

    private void importVersion(Context ctx, dev.septum.server.store.User caller) {
        Body body = Body.parse(ctx.body(), Set.of("message", "files", BreakSets.ACKNOWLEDGE), IMPORT_EXAMPLE);
        String message = body.optionalString("message", Limits.MESSAGE, "a short note, e.g. the git commit imported").orElse("import");
        Map<String, String> files = body.stringMap("files", Limits.FILES, Limits.FILE, "send \"files\": {\"policies.yaml\": \"<yaml text>\", ...}");
        SortedMap<String, String> sorted = new TreeMap<>();
        for (var file : files.entrySet()) {
            if (!PolicyFiles.FILE_NAME.matcher(file.getKey()).matches()) {
                throw ApiError.badRequest("files." + file.getKey(), "is not a policy file name",
                        "use plain file names ending in .yaml or .yml, e.g. policies.yaml");
            }
            sorted.put(file.getKey(), Body.yaml("files." + file.getKey(), file.getValue()));
        }
        LoadedPolicy loaded = PolicyFiles.load(sorted);
        if (loaded.hasErrors()) {
            throw new ApiError(400, "files", "the policy has " + loaded.errors().size() + " error(s); nothing was stored",
                    "fix each diagnostic (file:line:col) and import again; 'septum validate DIR' shows the same list",
                    Map.of("diagnostics", Views.diagnostics(loaded.diagnostics())));
        }
        Map<String, Object> answer = s.workflow().importFiles(caller, message, sorted,
                BreakSets.gate(s, BreakSets.acknowledged(body), BreakSets::acknowledgeOverApi));
        answer.put("diagnostics", Views.diagnostics(loaded.diagnostics()));
        ctx.status(201).json(answer);
    }

    private void list(Context ctx, dev.septum.server.store.User caller) {
        Params.Page page = Params.page(ctx);
        var versions = s.policies().page(page.after(), page.limit());
        ctx.json(Views.map("versions", versions.stream().map(e -> Views.version(e.getKey(), e.getValue())).toList(),
                "next", page.next(versions.stream().map(e -> e.getKey().id()).toList())));
    }

    private PolicyVersion find(Context ctx) {
        long id = Params.id(ctx, "id");
        return s.policies().version(id).orElseThrow(() -> ApiError.notFound("version " + id, "list versions with GET /api/versions"));
    }

    private void version(Context ctx, dev.septum.server.store.User caller) {
        PolicyVersion v = find(ctx);
        ctx.json(Views.version(v, s.policies().fileNames(v.id())));
    }

    private void files(Context ctx, dev.septum.server.store.User caller) {
        PolicyVersion v = find(ctx);
        ctx.json(Map.of("version", v.id(), "files", s.policies().files(v.id())));
    }

    private void file(Context ctx, dev.septum.server.store.User caller) {
        PolicyVersion v = find(ctx);
        String name = Params.fileName(ctx);
        String text = s.policies().files(v.id()).get(name);
        if (text == null) {
            throw ApiError.notFound("file " + name + " in version " + v.id(), "list its files with GET /api/versions/" + v.id());
        }
        ctx.contentType("application/yaml; charset=utf-8").result(text);
    }
}
