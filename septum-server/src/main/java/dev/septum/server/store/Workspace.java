package dev.septum.server.store;

import java.util.Optional;

/**
 * A named place for a change. {@code revision} counts edits: a build records the revision it
 * compiled, so a submit can tell a fresh build from a stale one.
 */
public record Workspace(long id, String name, Optional<Long> baseVersionId, State state, long revision, String createdBy,
                        String createdAt, String updatedAt) {
    public enum State {
        /** editable */
        OPEN,
        /** a change control holds its content; no more edits */
        SUBMITTED,
        /** superseded by a newer group refresh before anyone touched it; no more edits */
        CLOSED;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
