package dev.septum.server.store;

import dev.septum.server.db.Database;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Policy versions, each the YAML directory as text. History is linear: a new version always
 * extends the newest one (the schema's UNIQUE parent makes a racing second writer fail). The
 * newest version is not necessarily in force: {@link #current} is the newest approved or deployed
 * one, which new workspaces, drift checks, counters and session tags start from.
 */
public final class PolicyStore {
    private final Database db;

    public PolicyStore(Database db) {
        this.db = db;
    }

    private static final String COLUMNS = "id, parent_id, created_by, created_at, message, state";

    /** The newest stored version, whatever its state: the one a new version extends. */
    public static Optional<PolicyVersion> head(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + " FROM policy_versions ORDER BY id DESC LIMIT 1")
                .map((rs, ctx) -> version(rs)).findOne();
    }

    /** The newest approved or deployed version: the designed state. */
    public Optional<PolicyVersion> current() {
        return db.read(PolicyStore::current);
    }

    public static Optional<PolicyVersion> current(Handle h) {
        return newestIn(h, "'approved', 'deployed'");
    }

    /** The newest version a change control deployed: what the devices run. */
    public static Optional<PolicyVersion> deployed(Handle h) {
        return newestIn(h, "'deployed'");
    }

    private static Optional<PolicyVersion> newestIn(Handle h, String states) {
        return h.createQuery("SELECT " + COLUMNS + " FROM policy_versions WHERE state IN (" + states + ") ORDER BY id DESC LIMIT 1")
                .map((rs, ctx) -> version(rs)).findOne();
    }

    public Optional<PolicyVersion> version(long id) {
        return db.read(h -> version(h, id));
    }

    public static Optional<PolicyVersion> version(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM policy_versions WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> version(rs)).findOne();
    }

    /** One page of versions after {@code afterId}, oldest first, each with its file names (never the files' text). */
    public List<Map.Entry<PolicyVersion, List<String>>> page(long afterId, int limit) {
        return db.read(h -> {
            List<PolicyVersion> versions = h.createQuery("SELECT " + COLUMNS + " FROM policy_versions WHERE id > :after ORDER BY id LIMIT :limit")
                    .bind("after", afterId).bind("limit", limit).map((rs, ctx) -> version(rs)).list();
            if (versions.isEmpty()) {
                return List.of();
            }
            Map<Long, List<String>> names = new java.util.HashMap<>();
            h.createQuery("SELECT version_id, name FROM policy_files WHERE version_id BETWEEN :first AND :last ORDER BY name")
                    .bind("first", versions.getFirst().id()).bind("last", versions.getLast().id())
                    .map((rs, ctx) -> Map.entry(rs.getLong("version_id"), rs.getString("name")))
                    .forEach(e -> names.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
            return versions.stream().map(v -> Map.entry(v, names.getOrDefault(v.id(), List.of()))).toList();
        });
    }

    public List<String> fileNames(long versionId) {
        return db.read(h -> h.createQuery("SELECT name FROM policy_files WHERE version_id = :v ORDER BY name").bind("v", versionId)
                .mapTo(String.class).list());
    }

    /** Moves a version to {@code to}, inside the caller's transaction. */
    public static void setState(Handle h, long id, PolicyVersion.State to) {
        h.createUpdate("UPDATE policy_versions SET state = :state WHERE id = :id").bind("state", to.key()).bind("id", id).execute();
    }

    public SortedMap<String, String> files(long versionId) {
        return db.read(h -> files(h, versionId));
    }

    /** The resolution snapshot (JSON) the version was built with; none for a policy without dynamic groups stored before them. */
    public Optional<String> resolution(long versionId) {
        return db.read(h -> ResolutionStore.forVersion(h, versionId));
    }

    public static SortedMap<String, String> files(Handle h, long versionId) {
        SortedMap<String, String> files = new TreeMap<>();
        h.createQuery("SELECT name, content FROM policy_files WHERE version_id = :v").bind("v", versionId)
                .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("content")))
                .forEach(e -> files.put(e.getKey(), e.getValue()));
        return files;
    }

    /** Adds a version on top of the current head (inside the caller's transaction) and returns it. */
    public static PolicyVersion append(Handle h, String actor, String message, Map<String, String> files, PolicyVersion.State state) {
        Optional<Long> parent = head(h).map(PolicyVersion::id);
        String at = Clock.now();
        long id = h.createQuery("INSERT INTO policy_versions (parent_id, created_by, created_at, message, state) "
                        + "VALUES (:parent, :by, :at, :message, :state) RETURNING id")
                .bind("parent", parent.orElse(null)).bind("by", actor).bind("at", at).bind("message", message)
                .bind("state", state.key()).mapTo(Long.class).one();
        var insert = h.prepareBatch("INSERT INTO policy_files (version_id, name, content) VALUES (:v, :name, :content)");
        files.forEach((name, content) -> insert.bind("v", id).bind("name", name).bind("content", content).add());
        if (!files.isEmpty()) {
            insert.execute();
        }
        AuditLog.append(h, actor, "version.create", "version " + id, state.key() + ": " + message);
        return new PolicyVersion(id, parent, actor, at, message, state);
    }

    private static PolicyVersion version(java.sql.ResultSet rs) throws java.sql.SQLException {
        long parent = rs.getLong("parent_id");
        // wasNull speaks of the column read last, so it is asked before the id is read
        Optional<Long> parentId = rs.wasNull() ? Optional.empty() : Optional.of(parent);
        return new PolicyVersion(rs.getLong("id"), parentId,
                rs.getString("created_by"), rs.getString("created_at"), rs.getString("message"),
                PolicyVersion.State.parse(rs.getString("state")));
    }
}
