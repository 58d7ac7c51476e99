package dev.septum.server.store;

import dev.septum.server.db.Database;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/** Workspaces, their files and their latest build. */
public final class WorkspaceStore {
    private static final String COLUMNS = "id, name, base_version_id, state, revision, created_by, created_at, updated_at";

    private final Database db;

    public WorkspaceStore(Database db) {
        this.db = db;
    }

    /**
     * A workspace holding a copy of the newest approved (or deployed) version's files, never a
     * pending one (or nothing, before the first import).
     */
    public Workspace create(String actor, String name) {
        return db.write(h -> create(h, actor, name, Optional.empty()));
    }

    /**
     * Inside the caller's transaction: a workspace on the newest approved version holding
     * {@code files} instead of that version's (an import), with the actor as its author.
     */
    public static Workspace create(Handle h, String actor, String name, Optional<Map<String, String>> files) {
        Optional<PolicyVersion> base = PolicyStore.current(h);
        String at = Clock.now();
        long id = h.createQuery("INSERT INTO workspaces (name, base_version_id, state, revision, created_by, created_at, updated_at) "
                        + "VALUES (:name, :base, 'open', 0, :by, :at, :at) RETURNING id")
                .bind("name", name).bind("base", base.map(PolicyVersion::id).orElse(null)).bind("by", actor).bind("at", at)
                .mapTo(Long.class).one();
        if (files.isPresent()) {
            var insert = h.prepareBatch("INSERT INTO workspace_files (workspace_id, name, content) VALUES (:ws, :name, :c)");
            files.get().forEach((file, text) -> insert.bind("ws", id).bind("name", file).bind("c", text).add());
            if (!files.get().isEmpty()) {
                insert.execute();
            }
            addAuthor(h, id, actor);
        } else {
            base.ifPresent(v -> h.createUpdate("INSERT INTO workspace_files (workspace_id, name, content) "
                    + "SELECT :ws, name, content FROM policy_files WHERE version_id = :v").bind("ws", id).bind("v", v.id()).execute());
        }
        AuditLog.append(h, actor, "workspace.create", "workspace " + name,
                base.map(v -> "from version " + v.id()).orElse("empty") + files.map(f -> ", imported files").orElse(""));
        return get(h, id).orElseThrow();
    }

    /** Everyone who changed the workspace's files. */
    public static java.util.Set<String> authors(Handle h, long workspaceId) {
        return new java.util.TreeSet<>(h.createQuery("SELECT user_name FROM workspace_authors WHERE workspace_id = :ws")
                .bind("ws", workspaceId).mapTo(String.class).list());
    }

    private static void addAuthor(Handle h, long workspaceId, String actor) {
        h.createUpdate("DELETE FROM workspace_authors WHERE workspace_id = :ws AND user_name = :who")
                .bind("ws", workspaceId).bind("who", actor).execute();
        h.createUpdate("INSERT INTO workspace_authors (workspace_id, user_name) VALUES (:ws, :who)")
                .bind("ws", workspaceId).bind("who", actor).execute();
    }

    public Optional<Workspace> get(long id) {
        return db.read(h -> get(h, id));
    }

    public static Optional<Workspace> get(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM workspaces WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> workspace(rs)).findOne();
    }

    public Optional<Workspace> byName(String name) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM workspaces WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> workspace(rs)).findOne());
    }

    /** One page of workspaces after {@code afterId}, oldest first. */
    public List<Workspace> page(long afterId, int limit) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM workspaces WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit).map((rs, ctx) -> workspace(rs)).list());
    }

    /** The newest open workspaces, newest first: the ones a user may still edit. */
    public List<Workspace> openNewest(int limit) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM workspaces WHERE state = :open ORDER BY id DESC LIMIT :limit")
                .bind("open", Workspace.State.OPEN.key()).bind("limit", limit).map((rs, ctx) -> workspace(rs)).list());
    }

    public List<String> fileNames(long workspaceId) {
        return db.read(h -> h.createQuery("SELECT name FROM workspace_files WHERE workspace_id = :ws ORDER BY name")
                .bind("ws", workspaceId).mapTo(String.class).list());
    }

    /** The resolution snapshot (JSON) of the workspace's build at {@code revision}, if that build is the latest. */
    public Optional<String> resolution(long workspaceId, long revision) {
        return db.read(h -> ResolutionStore.forWorkspace(h, workspaceId, revision));
    }

    public SortedMap<String, String> files(long workspaceId) {
        return db.read(h -> files(h, workspaceId));
    }

    public static SortedMap<String, String> files(Handle h, long workspaceId) {
        SortedMap<String, String> files = new TreeMap<>();
        h.createQuery("SELECT name, content FROM workspace_files WHERE workspace_id = :ws").bind("ws", workspaceId)
                .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("content")))
                .forEach(e -> files.put(e.getKey(), e.getValue()));
        return files;
    }

    /**
     * Writes (or with an empty content, deletes) one file and bumps the revision, but only while the
     * workspace is open and still at {@code expectedRevision}: two editors cannot overwrite each
     * other's edit unseen. Returns the new revision, or empty when the workspace moved on.
     */
    public Optional<Long> writeFile(String actor, long workspaceId, long expectedRevision, String name, Optional<String> content) {
        return db.write(h -> {
            int bumped = h.createUpdate("UPDATE workspaces SET revision = revision + 1, updated_at = :at "
                            + "WHERE id = :id AND revision = :rev AND state = 'open'")
                    .bind("at", Clock.now()).bind("id", workspaceId).bind("rev", expectedRevision).execute();
            if (bumped != 1) {
                return Optional.<Long>empty();
            }
            h.createUpdate("DELETE FROM workspace_files WHERE workspace_id = :ws AND name = :name")
                    .bind("ws", workspaceId).bind("name", name).execute();
            content.ifPresent(text -> h.createUpdate("INSERT INTO workspace_files (workspace_id, name, content) VALUES (:ws, :name, :c)")
                    .bind("ws", workspaceId).bind("name", name).bind("c", text).execute());
            addAuthor(h, workspaceId, actor);
            AuditLog.append(h, actor, content.isPresent() ? "file.put" : "file.delete", "workspace " + workspaceId + " file " + name,
                    content.map(t -> t.length() + " characters").orElse(""));
            return Optional.of(expectedRevision + 1);
        });
    }

    public void saveBuild(Build build) {
        db.write(h -> {
            saveBuild(h, build);
            return null;
        });
    }

    /** Replaces the workspace's build, inside the caller's transaction. */
    public static void saveBuild(Handle h, Build build) {
        h.createUpdate("DELETE FROM build_devices WHERE workspace_id = :ws").bind("ws", build.workspaceId()).execute();
        h.createUpdate("DELETE FROM build_scripts WHERE workspace_id = :ws").bind("ws", build.workspaceId()).execute();
        h.createUpdate("DELETE FROM workspace_builds WHERE workspace_id = :ws").bind("ws", build.workspaceId()).execute();
        h.createUpdate("INSERT INTO workspace_builds (workspace_id, revision, ok, built_by, built_at, diagnostics, semantic_diff, hash) "
                        + "VALUES (:ws, :rev, :ok, :by, :at, :diag, :sem, :hash)")
                .bind("ws", build.workspaceId()).bind("rev", build.revision()).bind("ok", build.ok() ? 1 : 0)
                .bind("by", build.builtBy()).bind("at", build.builtAt()).bind("diag", build.diagnostics())
                .bind("sem", build.semanticDiff()).bind("hash", build.hash()).execute();
        var scripts = h.prepareBatch("INSERT INTO build_scripts (workspace_id, device, driver, family, script) "
                + "VALUES (:ws, :device, :driver, :family, :script)");
        for (Build.TargetScript t : build.scripts()) {
            scripts.bind("ws", build.workspaceId()).bind("device", t.device()).bind("driver", t.driver()).bind("family", t.family())
                    .bind("script", t.script()).add();
        }
        if (!build.scripts().isEmpty()) {
            scripts.execute();
        }
        var insert = h.prepareBatch("INSERT INTO build_devices (workspace_id, device, platform, changed, config, config_diff) "
                + "VALUES (:ws, :device, :platform, :changed, :config, :diff)");
        for (Build.DeviceBuild d : build.devices()) {
            insert.bind("ws", build.workspaceId()).bind("device", d.device()).bind("platform", d.platform())
                    .bind("changed", d.changed() ? 1 : 0).bind("config", d.config()).bind("diff", d.configDiff()).add();
        }
        if (!build.devices().isEmpty()) {
            insert.execute();
        }
        AuditLog.append(h, build.builtBy(), "workspace.build", "workspace " + build.workspaceId(),
                (build.ok() ? "ok" : "failed") + " at revision " + build.revision() + ", hash " + build.hash());
    }

    public Optional<Build> build(long workspaceId) {
        return db.read(h -> build(h, workspaceId));
    }

    /**
     * The stored build with the hash stored beside it; empty when there is none or when the rows
     * no longer hash to what was stored (changed under the server's feet).
     */
    public static Optional<Build> build(Handle h, long workspaceId) {
        List<Build.TargetScript> scripts = h.createQuery("SELECT device, driver, family, script FROM build_scripts "
                        + "WHERE workspace_id = :ws ORDER BY device").bind("ws", workspaceId)
                .map((rs, ctx) -> new Build.TargetScript(rs.getString("device"), rs.getString("driver"), rs.getString("family"),
                        rs.getString("script"))).list();
        List<Build.DeviceBuild> devices = h.createQuery("SELECT device, platform, changed, config, config_diff FROM build_devices "
                        + "WHERE workspace_id = :ws ORDER BY device").bind("ws", workspaceId)
                .map((rs, ctx) -> new Build.DeviceBuild(rs.getString("device"), rs.getString("platform"), rs.getInt("changed") == 1,
                        rs.getString("config"), rs.getString("config_diff"))).list();
        return h.createQuery("SELECT revision, ok, built_by, built_at, diagnostics, semantic_diff FROM workspace_builds "
                        + "WHERE workspace_id = :ws").bind("ws", workspaceId)
                .map((rs, ctx) -> new Build(workspaceId, rs.getLong("revision"), rs.getInt("ok") == 1, rs.getString("built_by"),
                        rs.getString("built_at"), rs.getString("diagnostics"), rs.getString("semantic_diff"), devices, scripts))
                .findOne();
    }

    static void markSubmitted(Handle h, long workspaceId) {
        h.createUpdate("UPDATE workspaces SET state = 'submitted', updated_at = :at WHERE id = :id")
                .bind("at", Clock.now()).bind("id", workspaceId).execute();
    }

    /** A withdrawn change control gives its workspace back for editing. */
    public static void reopen(Handle h, long workspaceId) {
        h.createUpdate("UPDATE workspaces SET state = 'open', revision = revision + 1, updated_at = :at WHERE id = :id")
                .bind("at", Clock.now()).bind("id", workspaceId).execute();
    }

    private static Workspace workspace(java.sql.ResultSet rs) throws java.sql.SQLException {
        long base = rs.getLong("base_version_id");
        Optional<Long> baseId = rs.wasNull() ? Optional.empty() : Optional.of(base);
        return new Workspace(rs.getLong("id"), rs.getString("name"), baseId,
                Workspace.State.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT)), rs.getLong("revision"),
                rs.getString("created_by"), rs.getString("created_at"), rs.getString("updated_at"));
    }
}
