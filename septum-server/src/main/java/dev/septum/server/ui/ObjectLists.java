package dev.septum.server.ui;

import dev.septum.model.write.YamlObjectEditor.Section;
import dev.septum.server.api.Kept;
import dev.septum.server.api.ObjectEdits;
import dev.septum.server.store.Workspace;
import dev.septum.server.workflow.PolicyObjects;
import dev.septum.server.workflow.PolicyObjects.Located;
import java.util.List;

/**
 * A workspace's objects, read once per revision: its files parsed once, each section listed once,
 * so a page of a 10,000-rule policy, its pickers and its form parse the policy's YAML once after
 * each edit, not on every request.
 */
final class ObjectLists {
    /** Workspaces whose parsed files are kept. */
    private static final int WORKSPACES = 4;
    /** Sections kept: a few workspaces' rules, groups, services and the other pickers' kinds. */
    private static final int SECTIONS = 64;

    private record Revision(long workspace, long revision) {
    }

    private record Key(Revision revision, Section section) {
    }

    private final ObjectEdits edits;
    private final Kept<Revision, PolicyObjects> objects = new Kept<>(WORKSPACES);
    private final Kept<Key, List<Located>> lists = new Kept<>(SECTIONS);

    ObjectLists(ObjectEdits edits) {
        this.edits = edits;
    }

    List<Located> list(Workspace w, Section section) {
        Revision at = new Revision(w.id(), w.revision());
        return lists.get(new Key(at, section), () -> List.copyOf(edits.list(w, objects.get(at, () -> edits.objects(w)), section)));
    }
}
