package dev.septum.flows.store;

import dev.septum.flows.session.SessionRow;
import dev.septum.flows.tag.SessionTags;

/** A session read back from the store with the tags it was stored with. */
public record StoredSession(SessionRow row, SessionTags tags) {
}
