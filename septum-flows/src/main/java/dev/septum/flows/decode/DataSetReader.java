package dev.septum.flows.decode;

import dev.septum.flows.FlowSink;
import java.nio.ByteBuffer;
import java.util.List;

/** Decodes the records of one data set with a known template; shared by IPFIX and NetFlow v9. */
final class DataSetReader {
    /**
     * Records of a set are decoded into a batch and handed over together, so the sink can start the
     * memory loads of them all before applying the first. Reused: nothing is allocated per record or per datagram.
     */
    static final int BATCH = 32;
    private final RecordBuilder[] batch = new RecordBuilder[BATCH];
    private final DecoderCounters counters;
    private final PendingSets pending;

    DataSetReader(DecoderCounters counters, PendingSets pending) {
        this.counters = counters;
        this.pending = pending;
        for (int i = 0; i < BATCH; i++) {
            batch[i] = new RecordBuilder();
        }
    }

    /**
     * Decodes records from {@code pos} to {@code end}; trailing bytes shorter than one record are padding
     * (RFC 7011 §3.3.1). Options records update the domain state instead of reaching the sink.
     *
     * @return records decoded, options records included: both count in the IPFIX sequence number
     */
    int read(RecordLayout layout, DomainState d, ByteBuffer buf, int pos, int end, long uptimeBaseMs,
             long arrivalMs, FlowSink sink) {
        int n = 0;
        int flows = 0;
        int p = pos;
        int batched = 0;
        boolean options = layout.template.options();
        while (end - p >= layout.minLength) {
            RecordBuilder b = batch[batched];
            b.reset(layout.fills);
            int q = layout.decode(buf, p, end, b);
            if (q < 0 || q == p) {
                break;
            }
            p = q;
            if (options) {
                if (b.systemInitMs() > 0) {
                    d.systemInitMs = b.systemInitMs();
                }
                counters.optionsRecords.incrementAndGet();
                n++;
            } else {
                long base = uptimeBaseMs >= 0 ? uptimeBaseMs : d.systemInitMs;
                b.resolve(d.key.exporter(), d.key.domainId(), layout.biflow, base, arrivalMs);
                n++;
                flows++;
                if (++batched == BATCH) {
                    deliver(sink, batched);
                    batched = 0;
                }
            }
        }
        deliver(sink, batched);
        counters.dataRecords.addAndGet(flows);
        return n;
    }

    private void deliver(FlowSink sink, int count) {
        if (count > 0) {
            sink.acceptAll(batch, count);
        }
    }

    /** A template just arrived: decode the data sets that were waiting for it. */
    void replayHeld(RecordLayout layout, DomainState d, int templateId, FlowSink sink) {
        List<PendingSets.Held> held = pending.release(d, templateId);
        for (PendingSets.Held h : held) {
            ByteBuffer body = ByteBuffer.wrap(h.body());
            int n = read(layout, d, body, 0, h.body().length, h.uptimeBaseMs(), h.arrivalMs(), sink);
            counters.heldRecordsDecoded.addAndGet(n);
        }
    }
}
