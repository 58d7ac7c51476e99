package dev.septum.server.ui;

import dev.septum.server.api.Kept;
import dev.septum.server.api.Services;
import dev.septum.server.store.Build;
import dev.septum.server.store.Role;
import dev.septum.server.store.Workspace;
import dev.septum.server.workflow.PendingChanges;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Builds the workspace island of a page from the stores. */
final class Islands {
    /** How many open workspaces the island lists to switch to. */
    private static final int OPEN_LISTED = 10;

    /** Workspaces whose pending changes are kept: listing them compares every object of two policies. */
    private static final int KEPT = 16;

    private record Key(long workspace, long revision, Optional<Long> base) {
    }

    private final Services s;
    private final Kept<Key, List<PendingChanges.Change>> pending = new Kept<>(KEPT);

    Islands(Services s) {
        this.s = s;
    }

    Island of(Viewer v, Optional<Workspace> workspace) {
        List<Island.Link> open = s.workspaces().openNewest(OPEN_LISTED).stream()
                .map(w -> new Island.Link(w.id(), w.name(), w.createdBy())).toList();
        return new Island(workspace.map(this::current), open, v.may(Role.EDITOR));
    }

    private Island.Current current(Workspace w) {
        List<PendingChanges.Change> changes = pending.get(new Key(w.id(), w.revision(), w.baseVersionId()), () -> PendingChanges.between(
                w.baseVersionId().map(s.policies()::files).orElse(new TreeMap<>()), s.workspaces().files(w.id())));
        String build = s.workspaces().build(w.id()).map(b -> buildState(b, w)).orElse("none");
        return new Island.Current(w.id(), w.name(), w.state().key(), w.revision(),
                w.baseVersionId().map(id -> "version " + id).orElse("an empty policy"), changes, build);
    }

    private static String buildState(Build b, Workspace w) {
        if (!b.ok()) {
            return "failed";
        }
        return b.revision() == w.revision() ? "ok" : "stale";
    }
}
