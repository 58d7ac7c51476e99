package dev.septum.flows.decode;

import dev.septum.flows.FlowSink;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * IPFIX messages (RFC 7011): header, Template Sets (2), Options Template Sets (3), Data Sets (≥ 256).
 * Every length is checked against its container before use; a bad length ends the message (counted as
 * malformed) and what was decoded before it stands.
 */
final class IpfixDecoder {
    static final int HEADER = 16;

    private final TemplateCache cache;
    private final PendingSets pending;
    private final DataSetReader reader;
    private final DecoderCounters counters;

    IpfixDecoder(TemplateCache cache, PendingSets pending, DataSetReader reader, DecoderCounters counters) {
        this.cache = cache;
        this.pending = pending;
        this.reader = reader;
        this.counters = counters;
    }

    void decode(ByteBuffer buf, InetSocketAddress exporter, long nowMs, FlowSink sink) {
        int start = buf.position();
        int available = buf.limit() - start;
        if (available < HEADER) {
            counters.malformed.incrementAndGet();
            return;
        }
        int length = buf.getShort(start + 2) & 0xFFFF;
        if (length < HEADER || length > available) {
            counters.malformed.incrementAndGet();
            return;
        }
        long sequence = buf.getInt(start + 8) & 0xFFFF_FFFFL;
        long domainId = buf.getInt(start + 12) & 0xFFFF_FFFFL;
        DomainState d = cache.domain(exporter, 10, domainId);
        checkSequence(d, sequence);
        int end = start + length;
        int p = start + HEADER;
        long records = 0;
        boolean countable = true;
        while (end - p >= 4) {
            int setId = buf.getShort(p) & 0xFFFF;
            int setLength = buf.getShort(p + 2) & 0xFFFF;
            if (setLength < 4 || setLength > end - p) {
                counters.malformed.incrementAndGet();
                countable = false;
                break;
            }
            int bodyStart = p + 4;
            int bodyEnd = p + setLength;
            if (setId == 2 || setId == 3) {
                for (TemplateSetEntry e : parseTemplateSet(buf, bodyStart, bodyEnd, setId == 3)) {
                    apply(d, e, nowMs, sink);
                }
            } else if (setId >= 256) {
                RecordLayout layout = cache.lookup(d, setId, nowMs);
                if (layout == null) {
                    byte[] body = new byte[bodyEnd - bodyStart];
                    buf.get(bodyStart, body);
                    pending.hold(new PendingSets.Held(d, setId, body, 0, d.systemInitMs, nowMs));
                    countable = false; // unknown record count: cannot advance the sequence expectation
                } else {
                    records += reader.read(layout, d, buf, bodyStart, bodyEnd, -1, nowMs, sink);
                }
            }
            // Set ids 0, 1 and 4–255 are reserved: skipped by their length.
            p = bodyEnd;
        }
        d.expectedSequence = countable ? (sequence + records) & 0xFFFF_FFFFL : -1;
    }

    /**
     * RFC 7011 §3.1: the sequence number counts data records sent before this message, modulo 2^32.
     * A gap is counted, never acted on: data after a gap is as good as data before it.
     */
    private void checkSequence(DomainState d, long sequence) {
        if (d.expectedSequence < 0 || sequence == d.expectedSequence) {
            return;
        }
        long ahead = (sequence - d.expectedSequence) & 0xFFFF_FFFFL;
        if (ahead < 0x8000_0000L) {
            counters.sequenceGapRecords.addAndGet(ahead);
            counters.sequenceGapEvents.incrementAndGet();
        } else {
            counters.sequenceReorders.incrementAndGet();
        }
    }

    private List<TemplateSetEntry> parseTemplateSet(ByteBuffer buf, int p, int end, boolean options) {
        List<TemplateSetEntry> out = new ArrayList<>();
        while (end - p >= 4) {
            int id = buf.getShort(p) & 0xFFFF;
            int fieldCount = buf.getShort(p + 2) & 0xFFFF;
            p += 4;
            if (fieldCount == 0) {
                if (id == (options ? 3 : 2)) {
                    out.add(new TemplateSetEntry.WithdrawAll(options));
                } else if (id >= 256) {
                    out.add(new TemplateSetEntry.Withdrawal(id, options));
                } else {
                    break; // zero padding at the end of the set
                }
                continue;
            }
            if (id < 256) {
                counters.malformed.incrementAndGet();
                break;
            }
            int scope = 0;
            if (options) {
                if (end - p < 2) {
                    counters.malformed.incrementAndGet();
                    break;
                }
                scope = buf.getShort(p) & 0xFFFF;
                p += 2;
                if (scope == 0 || scope > fieldCount) {
                    counters.malformed.incrementAndGet();
                    break;
                }
            }
            List<FieldSpec> fields = new ArrayList<>(Math.min(fieldCount, 64));
            boolean ok = true;
            for (int i = 0; i < fieldCount; i++) {
                if (end - p < 4) {
                    ok = false;
                    break;
                }
                int raw = buf.getShort(p) & 0xFFFF;
                int len = buf.getShort(p + 2) & 0xFFFF;
                p += 4;
                long enterprise = 0;
                if ((raw & 0x8000) != 0) {
                    if (end - p < 4) {
                        ok = false;
                        break;
                    }
                    enterprise = buf.getInt(p) & 0xFFFF_FFFFL;
                    p += 4;
                }
                fields.add(new FieldSpec(raw & 0x7FFF, len, enterprise));
            }
            if (!ok) {
                counters.malformed.incrementAndGet();
                break;
            }
            out.add(new TemplateSetEntry.Definition(new Template(id, options, scope, fields)));
        }
        return out;
    }

    private void apply(DomainState d, TemplateSetEntry entry, long nowMs, FlowSink sink) {
        switch (entry) {
            case TemplateSetEntry.Definition(Template t) -> {
                if (cache.put(d, t, false, nowMs)) {
                    reader.replayHeld(cache.lookup(d, t.id(), nowMs), d, t.id(), sink);
                }
            }
            case TemplateSetEntry.Withdrawal(int id, boolean options) -> {
                cache.remove(d, id);
                counters.templateWithdrawals.incrementAndGet();
            }
            case TemplateSetEntry.WithdrawAll(boolean options) -> {
                cache.removeAll(d, options);
                counters.templateWithdrawals.incrementAndGet();
            }
        }
    }
}
