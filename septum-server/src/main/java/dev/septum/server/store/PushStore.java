package dev.septum.server.store;

import dev.septum.server.db.Database;
import java.util.Optional;

/** The members last pushed for each push group (a JSON list), which its source answers with. */
public final class PushStore {
    private final Database db;

    public PushStore(Database db) {
        this.db = db;
    }

    /** Replaces the group's pushed members and records the push in the audit log, in one transaction. */
    public void put(String actor, String group, String members, int count) {
        db.write(h -> {
            h.createUpdate("DELETE FROM pushed_members WHERE group_name = :g").bind("g", group).execute();
            h.createUpdate("INSERT INTO pushed_members (group_name, members, pushed_by, pushed_at) VALUES (:g, :m, :by, :at)")
                    .bind("g", group).bind("m", members).bind("by", actor).bind("at", Clock.now()).execute();
            AuditLog.append(h, actor, "groups.push", "group " + group, count + " members pushed");
            return null;
        });
    }

    public Optional<String> members(String group) {
        return db.read(h -> h.createQuery("SELECT members FROM pushed_members WHERE group_name = :g").bind("g", group)
                .mapTo(String.class).findOne());
    }
}
