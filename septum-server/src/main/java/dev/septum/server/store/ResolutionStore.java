package dev.septum.server.store;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The resolution snapshot (JSON) each stored version and each workspace's latest build planned
 * from. Whatever rebuilds a stored policy (analyses, drift, counters, session tags) replays it, so
 * no dynamic group's source is asked behind a review.
 */
public final class ResolutionStore {
    private ResolutionStore() {
    }

    public static void saveForVersion(Handle h, long versionId, String resolution) {
        h.createUpdate("INSERT INTO version_resolutions (version_id, resolution) VALUES (:v, :r)")
                .bind("v", versionId).bind("r", resolution).execute();
    }

    /** Replaces the workspace's snapshot with its latest build's, inside the caller's transaction. */
    public static void saveForWorkspace(Handle h, long workspaceId, long revision, String resolution) {
        h.createUpdate("DELETE FROM workspace_resolutions WHERE workspace_id = :ws").bind("ws", workspaceId).execute();
        h.createUpdate("INSERT INTO workspace_resolutions (workspace_id, revision, resolution) VALUES (:ws, :rev, :r)")
                .bind("ws", workspaceId).bind("rev", revision).bind("r", resolution).execute();
    }

    public static Optional<String> forVersion(Handle h, long versionId) {
        return h.createQuery("SELECT resolution FROM version_resolutions WHERE version_id = :v")
                .bind("v", versionId).mapTo(String.class).findOne();
    }

    /** The snapshot of the workspace's build at {@code revision}; none once the workspace was edited after it. */
    public static Optional<String> forWorkspace(Handle h, long workspaceId, long revision) {
        return h.createQuery("SELECT resolution FROM workspace_resolutions WHERE workspace_id = :ws AND revision = :rev")
                .bind("ws", workspaceId).bind("rev", revision).mapTo(String.class).findOne();
    }
}
