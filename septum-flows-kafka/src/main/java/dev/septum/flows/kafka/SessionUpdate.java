package dev.septum.flows.kafka;

import dev.septum.flows.session.SessionRow;
import dev.septum.flows.tag.SessionTags;

/**
 * One message on the flows topic: an exported session row of monitor node {@code node} (counters
 * since the session's previous update) with the tags it was given there.
 */
public record SessionUpdate(String node, SessionRow row, SessionTags tags, long exportedMs) {
    /**
     * The message key: node and session (VRF, protocol, both endpoints, first seen), so every update
     * of one session lands in one partition and is applied in order.
     */
    public String key() {
        return node + '|' + Integer.toUnsignedString(row.vrf()) + '|' + row.protocol() + '|' + row.clientAddr() + '|'
                + row.client().port() + '|' + row.serverAddr() + '|' + row.server().port() + '|' + row.firstMillis();
    }
}
