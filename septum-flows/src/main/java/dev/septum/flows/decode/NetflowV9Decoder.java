package dev.septum.flows.decode;

import dev.septum.flows.FlowSink;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * NetFlow v9 export packets (RFC 3954). Differs from IPFIX in the 20-byte header (no length; a
 * sysUpTime), FlowSet ids 0 and 1 for templates, options templates sized in bytes rather than field
 * counts, no enterprise bit, and a sequence number that counts packets, not records.
 */
final class NetflowV9Decoder {
    static final int HEADER = 20;

    private final TemplateCache cache;
    private final PendingSets pending;
    private final DataSetReader reader;
    private final DecoderCounters counters;

    NetflowV9Decoder(TemplateCache cache, PendingSets pending, DataSetReader reader, DecoderCounters counters) {
        this.cache = cache;
        this.pending = pending;
        this.reader = reader;
        this.counters = counters;
    }

    void decode(ByteBuffer buf, InetSocketAddress exporter, long nowMs, FlowSink sink) {
        int start = buf.position();
        int end = buf.limit();
        if (end - start < HEADER) {
            counters.malformed.incrementAndGet();
            return;
        }
        long sysUptime = buf.getInt(start + 4) & 0xFFFF_FFFFL;
        long unixSecs = buf.getInt(start + 8) & 0xFFFF_FFFFL;
        long sequence = buf.getInt(start + 12) & 0xFFFF_FFFFL;
        long sourceId = buf.getInt(start + 16) & 0xFFFF_FFFFL;
        // FIRST/LAST_SWITCHED are sysUpTime values; this is the epoch time at which uptime was 0.
        long uptimeBase = unixSecs * 1000 - sysUptime;
        DomainState d = cache.domain(exporter, 9, sourceId);
        if (d.expectedSequence >= 0 && sequence != d.expectedSequence) {
            long ahead = (sequence - d.expectedSequence) & 0xFFFF_FFFFL;
            if (ahead < 0x8000_0000L) {
                counters.sequenceGapRecords.addAndGet(ahead);
                counters.sequenceGapEvents.incrementAndGet();
            } else {
                counters.sequenceReorders.incrementAndGet();
            }
        }
        d.expectedSequence = (sequence + 1) & 0xFFFF_FFFFL;
        int p = start + HEADER;
        while (end - p >= 4) {
            int setId = buf.getShort(p) & 0xFFFF;
            int setLength = buf.getShort(p + 2) & 0xFFFF;
            if (setLength < 4 || setLength > end - p) {
                counters.malformed.incrementAndGet();
                break;
            }
            int bodyStart = p + 4;
            int bodyEnd = p + setLength;
            if (setId == 0) {
                for (Template t : parseTemplates(buf, bodyStart, bodyEnd)) {
                    define(d, t, nowMs, sink);
                }
            } else if (setId == 1) {
                for (Template t : parseOptionsTemplates(buf, bodyStart, bodyEnd)) {
                    define(d, t, nowMs, sink);
                }
            } else if (setId >= 256) {
                RecordLayout layout = cache.lookup(d, setId, nowMs);
                if (layout == null) {
                    byte[] body = new byte[bodyEnd - bodyStart];
                    buf.get(bodyStart, body);
                    pending.hold(new PendingSets.Held(d, setId, body, unixSecs, uptimeBase, nowMs));
                } else {
                    reader.read(layout, d, buf, bodyStart, bodyEnd, uptimeBase, nowMs, sink);
                }
            }
            p = bodyEnd;
        }
    }

    private void define(DomainState d, Template t, long nowMs, FlowSink sink) {
        if (cache.put(d, t, true, nowMs)) {
            reader.replayHeld(cache.lookup(d, t.id(), nowMs), d, t.id(), sink);
        }
    }

    private List<Template> parseTemplates(ByteBuffer buf, int p, int end) {
        List<Template> out = new ArrayList<>();
        while (end - p >= 4) {
            int id = buf.getShort(p) & 0xFFFF;
            int count = buf.getShort(p + 2) & 0xFFFF;
            p += 4;
            if (id < 256 || count == 0) {
                if (id != 0 || count != 0) {
                    counters.malformed.incrementAndGet();
                }
                break; // v9 has no withdrawal; zeros are padding
            }
            if ((long) count * 4 > end - p) {
                counters.malformed.incrementAndGet();
                break;
            }
            List<FieldSpec> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                fields.add(new FieldSpec(buf.getShort(p) & 0xFFFF, buf.getShort(p + 2) & 0xFFFF, 0));
                p += 4;
            }
            out.add(new Template(id, false, 0, fields));
        }
        return out;
    }

    private List<Template> parseOptionsTemplates(ByteBuffer buf, int p, int end) {
        List<Template> out = new ArrayList<>();
        while (end - p >= 6) {
            int id = buf.getShort(p) & 0xFFFF;
            int scopeBytes = buf.getShort(p + 2) & 0xFFFF;
            int optionBytes = buf.getShort(p + 4) & 0xFFFF;
            p += 6;
            if (id < 256) {
                break; // padding
            }
            if (scopeBytes % 4 != 0 || optionBytes % 4 != 0 || scopeBytes + optionBytes > end - p
                    || scopeBytes + optionBytes == 0) {
                counters.malformed.incrementAndGet();
                break;
            }
            List<FieldSpec> fields = new ArrayList<>();
            for (int i = 0; i < (scopeBytes + optionBytes) / 4; i++) {
                int type = buf.getShort(p) & 0xFFFF;
                int len = buf.getShort(p + 2) & 0xFFFF;
                p += 4;
                // v9 scope types (1 system, 2 interface, ...) are not IANA element ids: never map them.
                fields.add(new FieldSpec(i < scopeBytes / 4 ? 0 : type, len, 0));
            }
            out.add(new Template(id, true, scopeBytes / 4, fields));
        }
        return out;
    }
}
