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

    /** A workspace holding a copy of the newest version's files (or nothing, before the first import). */
    public Workspace create(String actor, String name) {
        return db.write(h -> {
            Optional<PolicyVersion> head = PolicyStore.head(h);
            String at = Clock.now();
            long id = h.createQuery("INSERT INTO workspaces (name, base_version_id, state, revision, created_by, created_at, updated_at) "
                            + "VALUES (:name, :base, 'open', 0, :by, :at, :at) RETURNING id")
                    .bind("name", name).bind("base", head.map(PolicyVersion::id).orElse(null)).bind("by", actor).bind("at", at)
                    .mapTo(Long.class).one();
            head.ifPresent(v -> h.createUpdate("INSERT INTO workspace_files (workspace_id, name, content) "
                    + "SELECT :ws, name, content FROM policy_files WHERE version_id = :v").bind("ws", id).bind("v", v.id()).execute());
            AuditLog.append(h, actor, "workspace.create", "workspace " + name,
                    head.map(v -> "from version " + v.id()).orElse("empty"));
            return get(h, id).orElseThrow();
        });
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

    public List<Workspace> list() {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM workspaces ORDER BY id").map((rs, ctx) -> workspace(rs)).list());
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
            AuditLog.append(h, actor, content.isPresent() ? "file.put" : "file.delete", "workspace " + workspaceId + " file " + name,
                    content.map(t -> t.length() + " characters").orElse(""));
            return Optional.of(expectedRevision + 1);
        });
    }

    public void saveBuild(Build build) {
        db.write(h -> {
            h.createUpdate("DELETE FROM build_devices WHERE workspace_id = :ws").bind("ws", build.workspaceId()).execute();
            h.createUpdate("DELETE FROM workspace_builds WHERE workspace_id = :ws").bind("ws", build.workspaceId()).execute();
            h.createUpdate("INSERT INTO workspace_builds (workspace_id, revision, ok, built_by, built_at, diagnostics, semantic_diff) "
                            + "VALUES (:ws, :rev, :ok, :by, :at, :diag, :sem)")
                    .bind("ws", build.workspaceId()).bind("rev", build.revision()).bind("ok", build.ok() ? 1 : 0)
                    .bind("by", build.builtBy()).bind("at", build.builtAt()).bind("diag", build.diagnostics())
                    .bind("sem", build.semanticDiff()).execute();
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
                    (build.ok() ? "ok" : "failed") + " at revision " + build.revision());
            return null;
        });
    }

    public Optional<Build> build(long workspaceId) {
        return db.read(h -> {
            List<Build.DeviceBuild> devices = h.createQuery("SELECT device, platform, changed, config, config_diff FROM build_devices "
                            + "WHERE workspace_id = :ws ORDER BY device").bind("ws", workspaceId)
                    .map((rs, ctx) -> new Build.DeviceBuild(rs.getString("device"), rs.getString("platform"), rs.getInt("changed") == 1,
                            rs.getString("config"), rs.getString("config_diff"))).list();
            return h.createQuery("SELECT revision, ok, built_by, built_at, diagnostics, semantic_diff FROM workspace_builds "
                            + "WHERE workspace_id = :ws").bind("ws", workspaceId)
                    .map((rs, ctx) -> new Build(workspaceId, rs.getLong("revision"), rs.getInt("ok") == 1, rs.getString("built_by"),
                            rs.getString("built_at"), rs.getString("diagnostics"), rs.getString("semantic_diff"), devices))
                    .findOne();
        });
    }

    static void markSubmitted(Handle h, long workspaceId) {
        h.createUpdate("UPDATE workspaces SET state = 'submitted', updated_at = :at WHERE id = :id")
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
