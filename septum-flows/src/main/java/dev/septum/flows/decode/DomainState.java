package dev.septum.flows.decode;

import java.util.HashMap;
import java.util.Map;

/** Everything kept per (exporter, observation domain): templates, uptime base, sequence expectation. */
final class DomainState {
    final DomainKey key;
    final Map<Integer, CachedTemplate> templates = new HashMap<>();
    /** systemInitTimeMilliseconds from options data (IPFIX), -1 until seen. */
    long systemInitMs = -1;
    /** Sequence number the next message should carry, -1 when unknown (start, or after held data). */
    long expectedSequence = -1;
    int fieldCount;

    DomainState(DomainKey key) {
        this.key = key;
    }

    record CachedTemplate(RecordLayout layout, long refreshedAtMs) {
    }
}
