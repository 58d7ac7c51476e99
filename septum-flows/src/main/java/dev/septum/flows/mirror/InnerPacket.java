package dev.septum.flows.mirror;

import java.nio.ByteBuffer;

/**
 * Reads a mirrored frame's headers into a {@link MeteredPacket}: Ethernet with up to three VLAN tags
 * (802.1Q, 802.1ad QinQ, the old 0x9100), IPv4 or IPv6 (walking extension headers), then the ports of
 * TCP, UDP, SCTP and UDP-Lite, TCP's flags, or ICMP's and ICMPv6's type and code. Bytes are the IP
 * packet's own length (IPv4 total length, 40 + IPv6 payload length), not what was captured: a mirror
 * that truncates copies still counts whole packets. Every read is checked against the buffer's limit.
 */
final class InnerPacket {
    /** Why a frame was or was not metered. */
    enum Outcome { METERED, NON_IP, TRUNCATED, MALFORMED_IP, NON_FIRST_FRAGMENT }

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int MAX_VLAN_TAGS = 3;
    /** More is not a real packet; the bound keeps a crafted chain from costing more than a few reads. */
    private static final int MAX_EXTENSION_HEADERS = 8;

    private InnerPacket() {
    }

    /** An Ethernet frame from {@code at} to the buffer's limit. */
    static Outcome ethernet(ByteBuffer b, int at, MeteredPacket p) {
        int end = b.limit();
        if (end - at < 14) {
            return Outcome.TRUNCATED;
        }
        int type = u16(b, at + 12);
        int next = at + 14;
        for (int tags = 0; isVlanTag(type); tags++) {
            if (tags == MAX_VLAN_TAGS) {
                return Outcome.NON_IP;
            }
            if (end - next < 4) {
                return Outcome.TRUNCATED;
            }
            type = u16(b, next + 2);
            next += 4;
        }
        return ip(b, next, type, p);
    }

    private static boolean isVlanTag(int ethertype) {
        return ethertype == 0x8100 || ethertype == 0x88A8 || ethertype == 0x9100;
    }

    /** An IP packet of the given ethertype (anything else is not IP). */
    static Outcome ip(ByteBuffer b, int at, int ethertype, MeteredPacket p) {
        return switch (ethertype) {
            case ETHERTYPE_IPV4 -> ipv4(b, at, p);
            case ETHERTYPE_IPV6 -> ipv6(b, at, p);
            default -> Outcome.NON_IP;
        };
    }

    private static Outcome ipv4(ByteBuffer b, int at, MeteredPacket p) {
        if (b.limit() - at < 20) {
            return Outcome.TRUNCATED;
        }
        int ihl = (b.get(at) & 0x0F) * 4;
        int total = u16(b, at + 2);
        if ((b.get(at) & 0xF0) != 0x40 || ihl < 20 || total < ihl) {
            return Outcome.MALFORMED_IP;
        }
        if ((u16(b, at + 6) & 0x1FFF) != 0) {
            return Outcome.NON_FIRST_FRAGMENT;
        }
        p.v6 = false;
        p.srcHi = 0;
        p.dstHi = 0;
        p.srcLo = b.getInt(at + 12) & 0xFFFF_FFFFL;
        p.dstLo = b.getInt(at + 16) & 0xFFFF_FFFFL;
        p.octets = total;
        return transport(b, at + ihl, b.get(at + 9) & 0xFF, p);
    }

    private static Outcome ipv6(ByteBuffer b, int at, MeteredPacket p) {
        int end = b.limit();
        if (end - at < 40) {
            return Outcome.TRUNCATED;
        }
        if ((b.get(at) & 0xF0) != 0x60) {
            return Outcome.MALFORMED_IP;
        }
        p.v6 = true;
        p.octets = 40L + u16(b, at + 4);
        p.srcHi = b.getLong(at + 8);
        p.srcLo = b.getLong(at + 16);
        p.dstHi = b.getLong(at + 24);
        p.dstLo = b.getLong(at + 32);
        int next = b.get(at + 6) & 0xFF;
        int h = at + 40;
        for (int n = 0; ; n++) {
            int length;
            switch (next) {
                case 0, 43, 60, 135, 139, 140 -> { // hop-by-hop, routing, destination, mobility, HIP, shim6
                    if (end - h < 2) {
                        return Outcome.TRUNCATED;
                    }
                    length = ((b.get(h + 1) & 0xFF) + 1) * 8;
                }
                case 44 -> { // fragment
                    if (end - h < 8) {
                        return Outcome.TRUNCATED;
                    }
                    if ((u16(b, h + 2) >>> 3) != 0) {
                        return Outcome.NON_FIRST_FRAGMENT;
                    }
                    length = 8;
                }
                case 51 -> { // authentication header: length in 4-byte units, minus 2
                    if (end - h < 2) {
                        return Outcome.TRUNCATED;
                    }
                    length = ((b.get(h + 1) & 0xFF) + 2) * 4;
                }
                default -> {
                    return transport(b, h, next, p);
                }
            }
            if (n == MAX_EXTENSION_HEADERS) {
                return Outcome.MALFORMED_IP;
            }
            next = b.get(h) & 0xFF;
            h += length;
        }
    }

    private static Outcome transport(ByteBuffer b, int at, int protocol, MeteredPacket p) {
        int captured = b.limit() - at;
        p.protocol = protocol;
        p.srcPort = 0;
        p.dstPort = 0;
        p.tcpFlags = 0;
        switch (protocol) {
            case 6 -> { // TCP: ports, then flags in byte 13
                if (captured < 14) {
                    return Outcome.TRUNCATED;
                }
                ports(b, at, p);
                p.tcpFlags = b.get(at + 13) & 0xFF;
            }
            case 17, 132, 136 -> { // UDP, SCTP, UDP-Lite
                if (captured < 4) {
                    return Outcome.TRUNCATED;
                }
                ports(b, at, p);
            }
            case 1, 58 -> { // ICMP, ICMPv6: type * 256 + code as the destination port, as exporters send it
                if (captured < 2) {
                    return Outcome.TRUNCATED;
                }
                p.dstPort = u16(b, at);
            }
            default -> {
                // other protocols (ESP, GRE, OSPF, ...) are metered by addresses and protocol alone
            }
        }
        return Outcome.METERED;
    }

    private static void ports(ByteBuffer b, int at, MeteredPacket p) {
        p.srcPort = u16(b, at);
        p.dstPort = u16(b, at + 2);
    }

    static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xFFFF;
    }
}
