package dev.septum.server.store;

import dev.septum.server.db.Database;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Every change and deployment, in order. Rows are only ever inserted; the schema's triggers refuse
 * updates and deletes, so not even a bug in the server can rewrite history.
 */
public final class AuditLog {
    public record Entry(long id, String at, String actor, String action, String object, String detail) {
    }

    private final Database db;

    public AuditLog(Database db) {
        this.db = db;
    }

    /** Appends inside the caller's transaction, so the entry exists exactly when the change does. */
    public static void append(Handle h, String actor, String action, String object, String detail) {
        h.createUpdate("INSERT INTO audit_log (at, actor, action, object, detail) VALUES (:at, :actor, :action, :object, :detail)")
                .bind("at", Clock.now()).bind("actor", actor).bind("action", action).bind("object", object)
                .bind("detail", detail).execute();
    }

    public void append(String actor, String action, String object, String detail) {
        db.write(h -> {
            append(h, actor, action, object, detail);
            return null;
        });
    }

    /** The newest {@code limit} entries, oldest first. */
    public List<Entry> recent(int limit) {
        return db.read(h -> h.createQuery("SELECT id, at, actor, action, object, detail FROM audit_log ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> new Entry(rs.getLong("id"), rs.getString("at"), rs.getString("actor"), rs.getString("action"),
                        rs.getString("object"), rs.getString("detail")))
                .list()).reversed();
    }
}
