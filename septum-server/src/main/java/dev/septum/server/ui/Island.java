package dev.septum.server.ui;

import dev.septum.server.workflow.PendingChanges;
import java.util.List;
import java.util.Optional;

/**
 * The workspace island, on every page: the workspace the page edits, if any, with its pending
 * changes and the state of its build; otherwise the open workspaces to pick from.
 *
 * @param build none, ok, stale or failed
 */
public record Island(Optional<Current> current, List<Link> open, boolean mayEdit) {
    public record Current(long id, String name, String state, long revision, String base, List<PendingChanges.Change> changes,
                          String build) {
    }

    public record Link(long id, String name, String createdBy) {
    }
}
