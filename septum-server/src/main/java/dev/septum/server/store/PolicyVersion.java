package dev.septum.server.store;

import java.util.Optional;

/** One stored version of the policy directory; the newest version is the designed state. */
public record PolicyVersion(long id, Optional<Long> parentId, String createdBy, String createdAt, String message) {
}
