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
 * extends the newest one (the schema's UNIQUE parent makes a racing second writer fail).
 */
public final class PolicyStore {
    private final Database db;

    public PolicyStore(Database db) {
        this.db = db;
    }

    public Optional<PolicyVersion> head() {
        return db.read(PolicyStore::head);
    }

    public static Optional<PolicyVersion> head(Handle h) {
        return h.createQuery("SELECT id, parent_id, created_by, created_at, message FROM policy_versions ORDER BY id DESC LIMIT 1")
                .map((rs, ctx) -> version(rs)).findOne();
    }

    public Optional<PolicyVersion> version(long id) {
        return db.read(h -> h.createQuery("SELECT id, parent_id, created_by, created_at, message FROM policy_versions WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> version(rs)).findOne());
    }

    public List<PolicyVersion> list() {
        return db.read(h -> h.createQuery("SELECT id, parent_id, created_by, created_at, message FROM policy_versions ORDER BY id")
                .map((rs, ctx) -> version(rs)).list());
    }

    public SortedMap<String, String> files(long versionId) {
        return db.read(h -> files(h, versionId));
    }

    public static SortedMap<String, String> files(Handle h, long versionId) {
        SortedMap<String, String> files = new TreeMap<>();
        h.createQuery("SELECT name, content FROM policy_files WHERE version_id = :v").bind("v", versionId)
                .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("content")))
                .forEach(e -> files.put(e.getKey(), e.getValue()));
        return files;
    }

    /** Adds a version on top of the current head (inside the caller's transaction) and returns it. */
    public static PolicyVersion append(Handle h, String actor, String message, Map<String, String> files) {
        Optional<Long> parent = head(h).map(PolicyVersion::id);
        String at = Clock.now();
        long id = h.createQuery("INSERT INTO policy_versions (parent_id, created_by, created_at, message) "
                        + "VALUES (:parent, :by, :at, :message) RETURNING id")
                .bind("parent", parent.orElse(null)).bind("by", actor).bind("at", at).bind("message", message)
                .mapTo(Long.class).one();
        var insert = h.prepareBatch("INSERT INTO policy_files (version_id, name, content) VALUES (:v, :name, :content)");
        files.forEach((name, content) -> insert.bind("v", id).bind("name", name).bind("content", content).add());
        if (!files.isEmpty()) {
            insert.execute();
        }
        AuditLog.append(h, actor, "version.create", "version " + id, message);
        return new PolicyVersion(id, parent, actor, at, message);
    }

    public PolicyVersion importFiles(String actor, String message, Map<String, String> files) {
        return db.write(h -> append(h, actor, message, files));
    }

    private static PolicyVersion version(java.sql.ResultSet rs) throws java.sql.SQLException {
        long parent = rs.getLong("parent_id");
        return new PolicyVersion(rs.getLong("id"), rs.wasNull() ? Optional.empty() : Optional.of(parent),
                rs.getString("created_by"), rs.getString("created_at"), rs.getString("message"));
    }
}
