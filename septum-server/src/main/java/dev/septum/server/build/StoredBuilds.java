package dev.septum.server.build;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.resolve.SnapshotJson;
import dev.septum.server.store.PolicyStore;
import java.util.Optional;

/**
 * Stored policies built again exactly as they were built when stored: with the resolution
 * snapshot kept beside them, never asking a dynamic group's source again. A policy stored without
 * a snapshot has no dynamic groups and builds with the written members.
 */
public final class StoredBuilds {
    private StoredBuilds() {
    }

    public static PolicyBuild version(PolicyStore policies, long versionId) {
        return PolicyFiles.build(policies.files(versionId), replay(policies.resolution(versionId)));
    }

    public static GroupResolver replay(Optional<String> resolution) {
        return resolution.map(SnapshotJson::read).map(GroupResolver::replay).orElse(GroupResolver.STATIC);
    }
}
