package dev.septum.flows.decode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Data sets whose template has not arrived yet. After a collector restart the first data can precede
 * the next template refresh by minutes, so they are held, bounded in count, bytes and age, and decoded
 * when the template arrives; whatever falls out is counted as an unknown-template drop, never silent.
 */
final class PendingSets {
    record Held(DomainState domain, int templateId, byte[] body, long exportTimeSec, long uptimeBaseMs,
                long arrivalMs) {
    }

    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private final int maxSets;
    private final long maxBytes;
    private final long maxAgeMs;
    private final DecoderCounters counters;
    private long bytes;

    PendingSets(int maxSets, long maxBytes, long maxAgeMs, DecoderCounters counters) {
        this.maxSets = maxSets;
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAgeMs;
        this.counters = counters;
    }

    void hold(Held h) {
        if (h.body().length > maxBytes) {
            counters.unknownTemplateDrops.incrementAndGet();
            return;
        }
        while (!queue.isEmpty() && (queue.size() >= maxSets || bytes + h.body().length > maxBytes)) {
            dropOldest();
        }
        queue.addLast(h);
        bytes += h.body().length;
        counters.heldSets.incrementAndGet();
    }

    /** Removes and returns the held sets for this template, oldest first. */
    List<Held> release(DomainState domain, int templateId) {
        List<Held> out = new ArrayList<>();
        for (Iterator<Held> it = queue.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.domain() == domain && h.templateId() == templateId) {
                it.remove();
                bytes -= h.body().length;
                out.add(h);
            }
        }
        return out;
    }

    void expire(long nowMs) {
        while (!queue.isEmpty() && nowMs - queue.peekFirst().arrivalMs() > maxAgeMs) {
            dropOldest();
        }
    }

    private void dropOldest() {
        Held h = queue.removeFirst();
        bytes -= h.body().length;
        counters.unknownTemplateDrops.incrementAndGet();
    }

    int size() {
        return queue.size();
    }

    long bytes() {
        return bytes;
    }
}
