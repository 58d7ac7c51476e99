package dev.septum.server.api;

import dev.septum.model.load.LoadedPolicy;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finding a workspace and storing one changed file of it, shared by the file routes and the
 * per-object routes: the whole workspace is validated before anything is stored, and the write
 * only lands on the revision the client read (If-Match), so no edit overwrites another.
 */
public final class WorkspaceWrites {
    private final Services s;

    public WorkspaceWrites(Services s) {
        this.s = s;
    }

    Workspace find(Context ctx) {
        return find(Params.id(ctx, "id"));
    }

    private static final Pattern WORKSPACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** A new workspace from the newest approved version, under a name no other workspace has. */
    public Workspace create(User caller, String name) {
        checkNewName(name);
        return s.workspaces().create(caller.name(), name);
    }

    /** A workspace name that is well formed and free; refused with the field and the fix otherwise. */
    void checkNewName(String name) {
        Body.limited("name", name, Limits.NAME);
        if (!WORKSPACE_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("name", "'" + name + "' is not a workspace name",
                    "use letters, digits, '_', '-' and '.' (at most 128), starting with a letter or digit");
        }
        if (s.workspaces().byName(name).isPresent()) {
            throw ApiError.conflict("name", "a workspace named '" + name + "' exists", "pick another name");
        }
    }

    public Workspace find(long id) {
        return s.workspaces().get(id).orElseThrow(() -> ApiError.notFound("workspace " + id, "list workspaces with GET /api/workspaces"));
    }

    public static Workspace open(Workspace w) {
        if (w.state() != Workspace.State.OPEN) {
            throw ApiError.conflict("id", "workspace " + w.id() + " is " + w.state().key() + " and can no longer change",
                    "create a new workspace for further changes");
        }
        return w;
    }

    /**
     * Stores {@code content} as file {@code name} (empty: deletes it) and answers with the new
     * revision and the workspace's diagnostics; refused when the workspace would have errors,
     * unless {@code ?allowErrors=true}.
     */
    Map<String, Object> store(Context ctx, User caller, Workspace w, String name, Optional<String> content) {
        return store(caller, w, name, content, ifMatch(ctx), Params.flag(ctx, "allowErrors"));
    }

    /**
     * Stores {@code content} as file {@code name} (empty: deletes it) if the workspace is still at
     * revision {@code expected} (default: the one {@code w} was read at); refused with the
     * diagnostics when the workspace would have errors, unless {@code allowErrors}.
     */
    public Map<String, Object> store(User caller, Workspace w, String name, Optional<String> content, Optional<Long> ifMatch,
                                     boolean allowErrors) {
        long expected = ifMatch.orElse(w.revision());
        content.ifPresent(text -> Body.yaml(name, text));
        SortedMap<String, String> files = new TreeMap<>(s.workspaces().files(w.id()));
        content.ifPresentOrElse(text -> files.put(name, text), () -> files.remove(name));
        LoadedPolicy loaded = PolicyFiles.load(files);
        if (loaded.hasErrors() && !allowErrors) {
            throw new ApiError(400, name, "the workspace would have " + loaded.errors().size() + " error(s); nothing was stored",
                    "fix each diagnostic (file:line:col, object, field) and send the change again, "
                            + "or add ?allowErrors=true to store work in progress (a build will refuse it)",
                    Map.of("diagnostics", Views.diagnostics(loaded.diagnostics())));
        }
        long revision = s.workspaces().writeFile(caller.name(), w.id(), expected, name, content)
                .orElseThrow(() -> ApiError.conflict("If-Match", "workspace " + w.id() + " is no longer at revision " + expected,
                        "read it again (GET returns the revision as ETag), reapply the edit and send it with the new revision"));
        return Views.map("workspace", w.id(), "file", name, "revision", revision, "diagnostics", Views.diagnostics(loaded.diagnostics()));
    }

    static Optional<Long> ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(header.replace("\"", "").strip()));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("If-Match", "'" + header + "' is not a revision number", "send the workspace's revision, e.g. If-Match: 3");
        }
    }
}
