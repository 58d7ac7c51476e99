package dev.septum.flows.decode;

import dev.septum.flows.DatagramDecoder;
import dev.septum.flows.FlowSink;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Entry point of decoding: one datagram in, flow records out to a sink. Dispatches on the version
 * field (10 = IPFIX, 9 = NetFlow v9). Not thread-safe: template state belongs to one receive loop, as
 * SO_REUSEPORT keeps each exporter on one socket.
 */
public final class MessageDecoder implements DatagramDecoder {
    public record Limits(long templateLifetimeMs, int maxDomains, int maxTotalFields, int maxHeldSets,
                         long maxHeldBytes, long maxHeldAgeMs) {
        public static final Limits DEFAULT =
                new Limits(TemplateCache.DEFAULT_LIFETIME_MS, 4096, 1 << 20, 4096, 4L << 20, 60_000);
    }

    private final DecoderCounters counters = new DecoderCounters();
    private final TemplateCache cache;
    private final PendingSets pending;
    private final IpfixDecoder ipfix;
    private final NetflowV9Decoder v9;

    public MessageDecoder() {
        this(Limits.DEFAULT);
    }

    public MessageDecoder(Limits limits) {
        cache = new TemplateCache(limits.templateLifetimeMs(), limits.maxDomains(), limits.maxTotalFields(), counters);
        pending = new PendingSets(limits.maxHeldSets(), limits.maxHeldBytes(), limits.maxHeldAgeMs(), counters);
        DataSetReader reader = new DataSetReader(counters, pending);
        ipfix = new IpfixDecoder(cache, pending, reader, counters);
        v9 = new NetflowV9Decoder(cache, pending, reader, counters);
    }

    @Override
    public void decode(ByteBuffer datagram, InetSocketAddress exporter, long nowMs, FlowSink sink) {
        counters.messages.incrementAndGet();
        if (datagram.remaining() < 2) {
            counters.malformed.incrementAndGet();
            return;
        }
        int version = datagram.getShort(datagram.position()) & 0xFFFF;
        try {
            switch (version) {
                case 10 -> ipfix.decode(datagram, exporter, nowMs, sink);
                case 9 -> v9.decode(datagram, exporter, nowMs, sink);
                default -> counters.unsupportedVersion.incrementAndGet();
            }
        } catch (IndexOutOfBoundsException e) {
            // Every length is checked before use; this is the backstop that keeps one bad datagram
            // from ending the receive loop. The fuzz test asserts it is never reached.
            counters.malformed.incrementAndGet();
            backstopHits++;
        }
    }

    /** Ages out held data sets. */
    @Override
    public void expire(long nowMs) {
        pending.expire(nowMs);
    }

    public DecoderCounters counters() {
        return counters;
    }

    @Override
    public Map<String, Long> countersByName() {
        return counters.asMap();
    }

    public TemplateCache templates() {
        return cache;
    }

    public int heldSets() {
        return pending.size();
    }

    public long heldBytes() {
        return pending.bytes();
    }

    private long backstopHits;

    /** How often the exception backstop fired; tests assert 0. */
    public long backstopHits() {
        return backstopHits;
    }
}
