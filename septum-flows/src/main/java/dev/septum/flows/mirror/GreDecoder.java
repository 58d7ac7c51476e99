package dev.septum.flows.mirror;

import dev.septum.flows.DatagramDecoder;
import dev.septum.flows.FlowSink;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The mirror intake's decoder: one GRE packet from a raw IPv4 socket (outer IPv4 header first) in, one
 * metered packet out to the session table. It accepts what a switch's {@code monitor session …
 * destination tunnel mode gre} sends, transparent Ethernet bridging (0x6558), and also bare IPv4 and
 * IPv6 (0x0800, 0x86DD); the checksum, key and sequence fields of RFC 2784/2890 are skipped by their
 * bits and not checked (a mirror is not worth dropping over them; the link's frame check covers the
 * outer header). Outer fragments after the first are counted, not decoded. Bad, cut or foreign packets
 * are counted per reason, never thrown on.
 */
public final class GreDecoder implements DatagramDecoder {
    static final int GRE_TEB = 0x6558;
    private static final int FLAG_CHECKSUM = 0x80;
    private static final int FLAG_ROUTING = 0x40;
    private static final int FLAG_KEY = 0x20;
    private static final int FLAG_SEQUENCE = 0x10;

    private final MirrorCounters counters = new MirrorCounters();
    private final MeteredPacket packet = new MeteredPacket();

    @Override
    public void decode(ByteBuffer datagram, InetSocketAddress sender, long nowMs, FlowSink sink) {
        MirrorCounters.bump(counters.grePackets);
        int at = datagram.position();
        int end = datagram.limit();
        if (end - at < 20 || (datagram.get(at) & 0xF0) != 0x40) {
            MirrorCounters.bump(counters.malformedOuter);
            return;
        }
        int gre = at + (datagram.get(at) & 0x0F) * 4;
        if (gre - at < 20 || end - gre < 4) {
            MirrorCounters.bump(counters.malformedOuter);
            return;
        }
        if ((InnerPacket.u16(datagram, at + 6) & 0x1FFF) != 0) {
            // the packet ring sees outer fragments unreassembled: the first carries the headers metered
            MirrorCounters.bump(counters.nonFirstFragments);
            return;
        }
        int flags = datagram.get(gre) & 0xFF;
        if ((datagram.get(gre + 1) & 0x07) != 0) {
            MirrorCounters.bump(counters.greVersion);
            return;
        }
        if ((flags & FLAG_ROUTING) != 0) {
            MirrorCounters.bump(counters.greRouting);
            return;
        }
        int inner = gre + 4 + ((flags & FLAG_CHECKSUM) != 0 ? 4 : 0) + ((flags & FLAG_KEY) != 0 ? 4 : 0)
                + ((flags & FLAG_SEQUENCE) != 0 ? 4 : 0);
        if (inner > end) {
            MirrorCounters.bump(counters.malformedOuter);
            return;
        }
        int protocol = InnerPacket.u16(datagram, gre + 2);
        InnerPacket.Outcome outcome = switch (protocol) {
            case GRE_TEB -> InnerPacket.ethernet(datagram, inner, packet);
            case InnerPacket.ETHERTYPE_IPV4, InnerPacket.ETHERTYPE_IPV6 -> InnerPacket.ip(datagram, inner, protocol, packet);
            default -> null;
        };
        if (outcome == null) {
            MirrorCounters.bump(counters.greOtherProtocol);
            return;
        }
        switch (outcome) {
            case METERED -> {
                packet.sender = sender;
                packet.atMillis = nowMs;
                sink.accept(packet);
                MirrorCounters.bump(counters.metered);
            }
            case NON_IP -> MirrorCounters.bump(counters.nonIpFrames);
            case TRUNCATED -> MirrorCounters.bump(counters.truncatedFrames);
            case MALFORMED_IP -> MirrorCounters.bump(counters.malformedIp);
            case NON_FIRST_FRAGMENT -> MirrorCounters.bump(counters.nonFirstFragments);
        }
    }

    /** Nothing ages here: the session table holds all the state. */
    @Override
    public void expire(long nowMs) {
    }

    public MirrorCounters counters() {
        return counters;
    }

    @Override
    public Map<String, Long> countersByName() {
        return counters.asMap();
    }
}
