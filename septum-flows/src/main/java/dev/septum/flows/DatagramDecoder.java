package dev.septum.flows;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * What a collector's receive loop hands each datagram to: IPFIX and NetFlow v9 messages (flow records
 * out) or GRE-mirrored packets (one metered packet out each). Not thread-safe: one receive loop owns it.
 */
public interface DatagramDecoder {
    /** Decodes the bytes between the buffer's position and limit into {@code sink}; never throws on bad input. */
    void decode(ByteBuffer datagram, InetSocketAddress sender, long nowMs, FlowSink sink);

    /** Called about once a second by the collector's timer, under the same lock as {@link #decode}. */
    void expire(long nowMs);

    /** The decoder's counters, named for metrics and the CLI's JSON. */
    Map<String, Long> countersByName();
}
