package dev.septum.flows.decode;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Everything kept per (exporter, observation domain): templates, uptime base, sequence expectation. */
final class DomainState {
    final DomainKey key;
    /** Changed only through {@link #put}, {@link #remove} and {@link #removeIf}, which keep {@link #lastTemplate} true. */
    private final Map<Integer, CachedTemplate> templates = new HashMap<>();
    /**
     * The template of the previous lookup: a domain's data sets mostly use one template, so most sets
     * skip boxing the id and the map lookup. Null after any change to {@link #templates}.
     */
    private CachedTemplate lastTemplate;
    private int lastTemplateId;
    /** systemInitTimeMilliseconds from options data (IPFIX), -1 until seen. */
    long systemInitMs = -1;
    /** Sequence number the next message should carry, -1 when unknown (start, or after held data). */
    long expectedSequence = -1;
    int fieldCount;

    DomainState(DomainKey key) {
        this.key = key;
    }

    CachedTemplate template(int id) {
        CachedTemplate t = lastTemplate;
        if (t != null && lastTemplateId == id) {
            return t;
        }
        t = templates.get(id);
        if (t != null) {
            lastTemplate = t;
            lastTemplateId = id;
        }
        return t;
    }

    void put(int id, CachedTemplate t) {
        templates.put(id, t);
        lastTemplate = null;
    }

    CachedTemplate remove(int id) {
        lastTemplate = null;
        return templates.remove(id);
    }

    void removeIf(Predicate<Map.Entry<Integer, CachedTemplate>> test) {
        lastTemplate = null;
        templates.entrySet().removeIf(test);
    }

    int templateCount() {
        return templates.size();
    }

    record CachedTemplate(RecordLayout layout, long refreshedAtMs) {
    }
}
