package dev.septum.server.store;

import java.util.Locale;
import java.util.Optional;

/**
 * One stored version of the policy directory. Only an approved or deployed version is the
 * designed state: a pending one reaches a device only through its own approved change control.
 */
public record PolicyVersion(long id, Optional<Long> parentId, String createdBy, String createdAt, String message, State state) {
    public enum State {
        /** submitted; its change control waits for approval */
        PENDING,
        APPROVED,
        /** a change control put it on the devices */
        DEPLOYED,
        REJECTED,
        WITHDRAWN;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State parse(String key) {
            return valueOf(key.toUpperCase(Locale.ROOT));
        }
    }
}
