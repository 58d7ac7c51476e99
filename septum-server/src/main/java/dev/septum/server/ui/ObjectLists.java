package dev.septum.server.ui;

import dev.septum.model.write.YamlObjectEditor.Section;
import dev.septum.server.api.ObjectEdits;
import dev.septum.server.store.Workspace;
import dev.septum.server.workflow.PolicyObjects.Located;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workspace's objects of one section, read once per revision: a page of a 10,000-rule policy,
 * its pickers and its form then parse the policy's YAML once after each edit, not on every
 * request. Every edit bumps the workspace's revision, so an entry is never stale for the revision
 * it is kept under; the least recently used entries go first.
 */
final class ObjectLists {
    /** Sections kept: a few workspaces' rules, groups, services and the other pickers' kinds. */
    private static final int KEPT = 64;

    private record Key(long workspace, long revision, Section section) {
    }

    private final ObjectEdits edits;
    private final Map<Key, List<Located>> kept = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, List<Located>> eldest) {
            return size() > KEPT;
        }
    };

    ObjectLists(ObjectEdits edits) {
        this.edits = edits;
    }

    List<Located> list(Workspace w, Section section) {
        Key key = new Key(w.id(), w.revision(), section);
        synchronized (kept) {
            List<Located> found = kept.get(key);
            if (found != null) {
                return found;
            }
        }
        // parsed outside the lock: two first readers may both parse; either list is the same
        List<Located> parsed = List.copyOf(edits.list(w, section));
        synchronized (kept) {
            kept.put(key, parsed);
        }
        return parsed;
    }
}
