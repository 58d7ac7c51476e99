package dev.septum.flows.decode;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Templates and options templates per {@link DomainKey}. Over UDP templates are never withdrawn, only
 * refreshed, so each carries a lifetime and an unrefreshed one expires (RFC 7011 §8.4). Every
 * dimension is capped because the key space is attacker-controlled: any host can send any domain id.
 */
public final class TemplateCache {
    /** Default template lifetime: 3 × EOS's 1 h template interval (RFC 6728 advises ≥ 3 × refresh). */
    public static final long DEFAULT_LIFETIME_MS = 3 * 3_600_000L;
    static final int MAX_FIELDS_PER_TEMPLATE = 512;

    private final long lifetimeMs;
    private final int maxDomains;
    private final int maxTotalFields;
    private final DecoderCounters counters;
    private int totalFields;
    private final LinkedHashMap<DomainKey, DomainState> domains = new LinkedHashMap<>(64, 0.75f, true);
    /**
     * The domain of the previous datagram: an exporter sends bursts from one domain, so most datagrams
     * skip building a key and the access-ordered map's lookup and reordering. It is always the map's
     * most recently used entry (every other domain is reached through the map), so the eviction order
     * is the same as without it.
     */
    private DomainState last;

    public TemplateCache(long lifetimeMs, int maxDomains, int maxTotalFields, DecoderCounters counters) {
        this.lifetimeMs = lifetimeMs;
        this.maxDomains = maxDomains;
        this.maxTotalFields = maxTotalFields;
        this.counters = counters;
    }

    DomainState domain(InetSocketAddress exporter, int version, long domainId) {
        DomainState d = last;
        if (d != null && d.key.domainId() == domainId && d.key.version() == version
                && (d.key.exporter() == exporter || d.key.exporter().equals(exporter))) {
            return d;
        }
        d = domain(new DomainKey(exporter, version, domainId));
        last = d;
        return d;
    }

    private DomainState domain(DomainKey key) {
        DomainState d = domains.get(key);
        if (d == null) {
            if (domains.size() >= maxDomains) {
                // Least recently heard-from domain goes first; a live exporter re-sends its templates.
                Iterator<Map.Entry<DomainKey, DomainState>> it = domains.entrySet().iterator();
                DomainState eldest = it.next().getValue();
                totalFields -= eldest.fieldCount;
                it.remove();
            }
            d = new DomainState(key);
            domains.put(key, d);
        }
        return d;
    }

    /** @return the layout, or null when unknown or expired */
    RecordLayout lookup(DomainState d, int templateId, long nowMs) {
        DomainState.CachedTemplate t = d.template(templateId);
        if (t == null) {
            return null;
        }
        if (nowMs - t.refreshedAtMs() > lifetimeMs) {
            remove(d, templateId);
            counters.templatesExpired.incrementAndGet();
            return null;
        }
        return t.layout();
    }

    /** @return false when the template was refused (too large, or the cache is full) */
    boolean put(DomainState d, Template template, boolean netflowV9, long nowMs) {
        int n = template.fields().size();
        RecordLayout layout = RecordLayout.compile(template, netflowV9);
        if (n > MAX_FIELDS_PER_TEMPLATE || layout.minLength == 0) {
            counters.templatesRejected.incrementAndGet();
            return false;
        }
        DomainState.CachedTemplate old = d.template(template.id());
        int growth = n - (old == null ? 0 : old.layout().template.fields().size());
        if (totalFields + growth > maxTotalFields) {
            counters.templatesRejected.incrementAndGet();
            return false;
        }
        d.put(template.id(), new DomainState.CachedTemplate(layout, nowMs));
        d.fieldCount += growth;
        totalFields += growth;
        counters.templates.incrementAndGet();
        return true;
    }

    void remove(DomainState d, int templateId) {
        DomainState.CachedTemplate old = d.remove(templateId);
        if (old != null) {
            int n = old.layout().template.fields().size();
            d.fieldCount -= n;
            totalFields -= n;
        }
    }

    void removeAll(DomainState d, boolean options) {
        d.removeIf(e -> {
            if (e.getValue().layout().template.options() != options) {
                return false;
            }
            int n = e.getValue().layout().template.fields().size();
            d.fieldCount -= n;
            totalFields -= n;
            return true;
        });
    }

    public int domainCount() {
        return domains.size();
    }

    public int templateCount() {
        return domains.values().stream().mapToInt(DomainState::templateCount).sum();
    }

    public int totalFields() {
        return totalFields;
    }
}
