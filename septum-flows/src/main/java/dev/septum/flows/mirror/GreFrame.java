package dev.septum.flows.mirror;

import java.nio.ByteBuffer;

/**
 * Builds the GRE payload a switch's mirror session sends (the kernel adds the outer IPv4 header when
 * it goes out on a raw protocol-47 socket): a GRE header with protocol 0x6558 and, when given, a key;
 * then an Ethernet header; then the IP packet. The mirror agent has only the IP packet (NFLOG hands it
 * over without its link layer), so the Ethernet addresses are fabricated: fixed locally administered
 * ones, which no collector reads.
 */
public final class GreFrame {
    /** GRE with a key (8) plus an Ethernet header (14). */
    public static final int MAX_OVERHEAD = 22;
    /** No key field: the monitor session's {@code key} is then absent, not 0. */
    public static final long NO_KEY = -1;
    private static final byte[] FABRICATED_MACS = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};

    private GreFrame() {
    }

    /**
     * Writes the frame for {@code ip} (position to limit, left unchanged) at {@code out}'s position,
     * advancing it.
     *
     * @param key 0 to 2^32-1, or {@link #NO_KEY}
     * @throws IllegalArgumentException when {@code ip} is neither IPv4 nor IPv6 (version nibble)
     */
    public static void write(ByteBuffer ip, long key, ByteBuffer out) {
        int version = ip.remaining() > 0 ? (ip.get(ip.position()) & 0xF0) >>> 4 : 0;
        int ethertype = switch (version) {
            case 4 -> InnerPacket.ETHERTYPE_IPV4;
            case 6 -> InnerPacket.ETHERTYPE_IPV6;
            default -> throw new IllegalArgumentException("not an IP packet (version " + version + ")");
        };
        if (key != NO_KEY && (key < 0 || key > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("a GRE key is 0 to 4294967295, got " + key);
        }
        out.put((byte) (key == NO_KEY ? 0 : 0x20)).put((byte) 0).putShort((short) GreDecoder.GRE_TEB);
        if (key != NO_KEY) {
            out.putInt((int) key);
        }
        out.put(FABRICATED_MACS).putShort((short) ethertype);
        out.put(ip.duplicate());
    }
}
