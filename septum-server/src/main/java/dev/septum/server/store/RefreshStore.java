package dev.septum.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The workspaces a group refresh opened, each with the resolution snapshot the refresh compared
 * (what its builds plan from) and the groups it changed. An older one is closed when a newer
 * refresh covers its groups, unless a person has touched it.
 */
public final class RefreshStore {
    private RefreshStore() {
    }

    /** Inside the caller's transaction, right after the refresh created the workspace. */
    public static void open(Handle h, long workspaceId, long versionId, String change, List<String> groups, String resolution) {
        h.createUpdate("INSERT INTO refresh_workspaces (workspace_id, version_id, change_name, group_names, resolution) "
                        + "VALUES (:ws, :v, :c, :g, :r)")
                .bind("ws", workspaceId).bind("v", versionId).bind("c", change).bind("g", String.join("\n", groups))
                .bind("r", resolution).execute();
    }

    /** The workspace a refresh opened for the same change on the same version that is not closed (open or submitted). */
    public static Optional<Long> sameChange(Handle h, long versionId, String change) {
        return h.createQuery("SELECT r.workspace_id FROM refresh_workspaces r JOIN workspaces w ON w.id = r.workspace_id "
                        + "WHERE r.version_id = :v AND r.change_name = :c AND w.state <> 'closed' ORDER BY r.workspace_id DESC")
                .bind("v", versionId).bind("c", change).mapTo(Long.class).findFirst();
    }

    /** The snapshot a refresh workspace's builds plan from; empty for any other workspace. */
    public static Optional<String> pinned(Handle h, long workspaceId) {
        return h.createQuery("SELECT resolution FROM refresh_workspaces WHERE workspace_id = :ws")
                .bind("ws", workspaceId).mapTo(String.class).findOne();
    }

    private record Candidate(long workspaceId, List<String> groups, String name) {
    }

    /** A workspace closed in favour of a newer one. */
    public record Superseded(long workspaceId, String name) {
    }

    /**
     * Closes every other refresh workspace whose changed groups {@code newer} covers, that is
     * still open and that no person has edited (revision 0: a refresh builds but never edits, an
     * edit or a withdrawn submit raises the revision), recording {@code newer} as its successor
     * and auditing each. A submitted or approved one is never touched.
     */
    public static List<Superseded> supersede(Handle h, String actor, long newer, String newerName, Set<String> covered) {
        List<Superseded> closed = new ArrayList<>();
        var candidates = h.createQuery("SELECT r.workspace_id, r.group_names, w.name FROM refresh_workspaces r "
                        + "JOIN workspaces w ON w.id = r.workspace_id "
                        + "WHERE r.workspace_id <> :newer AND r.superseded_by IS NULL AND w.state = 'open' AND w.revision = 0 "
                        + "ORDER BY r.workspace_id")
                .bind("newer", newer)
                .map((rs, ctx) -> new Candidate(rs.getLong(1), List.of(rs.getString(2).split("\n")), rs.getString(3))).list();
        for (Candidate c : candidates) {
            long id = c.workspaceId();
            if (!covered.containsAll(c.groups())) {
                continue;
            }
            int changed = h.createUpdate("UPDATE workspaces SET state = 'closed', updated_at = :at "
                            + "WHERE id = :id AND state = 'open' AND revision = 0")
                    .bind("at", Clock.now()).bind("id", id).execute();
            if (changed == 1) {
                h.createUpdate("UPDATE refresh_workspaces SET superseded_by = :newer WHERE workspace_id = :id")
                        .bind("newer", newer).bind("id", id).execute();
                AuditLog.append(h, actor, "groups.refresh.superseded", "workspace " + c.name(), "closed unapproved: superseded by workspace "
                        + newer + " '" + newerName + "', a newer refresh of the same groups");
                closed.add(new Superseded(id, c.name()));
            }
        }
        return closed;
    }

    /** The workspace that superseded this one, when a newer refresh closed it. */
    public static Optional<Long> supersededBy(Handle h, long workspaceId) {
        return h.createQuery("SELECT superseded_by FROM refresh_workspaces WHERE workspace_id = :ws AND superseded_by IS NOT NULL")
                .bind("ws", workspaceId).mapTo(Long.class).findOne();
    }
}
