package dev.septum.flows.mirror;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** Hand-built packet bytes for the mirror tests, field by field as the RFCs lay them out. */
final class Packets {
    private Packets() {
    }

    static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] tcp(int srcPort, int dstPort, int flags, int payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(1000).putInt(0)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putInt(0);
        return b.array();
    }

    static byte[] udp(int srcPort, int dstPort, int payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload)).putShort((short) 0);
        return b.array();
    }

    static byte[] icmp(int type, int code) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.put((byte) type).put((byte) code).putShort((short) 0).putInt(0x1234_0001);
        return b.array();
    }

    static byte[] ipv4(String src, String dst, int protocol, byte[] l4) {
        return ipv4(src, dst, protocol, 0, l4);
    }

    static byte[] ipv4(String src, String dst, int protocol, int fragmentField, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 7)
                .putShort((short) fragmentField).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(addr(src)).put(addr(dst)).put(l4);
        return b.array();
    }

    /** IPv6 with the given extension headers (each: next-header byte written by this method) before l4. */
    static byte[] ipv6(String src, String dst, int protocol, byte[] l4, int[] extTypes, byte[][] exts) {
        int extLen = 0;
        for (byte[] e : exts) {
            extLen += e.length;
        }
        ByteBuffer b = ByteBuffer.allocate(40 + extLen + l4.length);
        b.putInt(0x6000_0000).putShort((short) (extLen + l4.length))
                .put((byte) (exts.length > 0 ? extTypes[0] : protocol)).put((byte) 64).put(addr(src)).put(addr(dst));
        for (int i = 0; i < exts.length; i++) {
            byte[] e = exts[i].clone();
            e[0] = (byte) (i + 1 < exts.length ? extTypes[i + 1] : protocol);
            b.put(e);
        }
        b.put(l4);
        return b.array();
    }

    static byte[] hopByHop() {
        return new byte[] {0, 0, 1, 4, 0, 0, 0, 0}; // PadN
    }

    static byte[] fragment(int offsetUnits, boolean more) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.put((byte) 0).put((byte) 0).putShort((short) ((offsetUnits << 3) | (more ? 1 : 0))).putInt(99);
        return b.array();
    }

    /** Ethernet with the given VLAN tag protocol ids (outermost first), then the ethertype. */
    static byte[] ethernet(int ethertype, byte[] payload, int... tagTypes) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * tagTypes.length + payload.length);
        b.put(new byte[] {0, 0x1c, 0x73, 1, 2, 3, 0, 0x1c, 0x73, 4, 5, 6});
        for (int i = 0; i < tagTypes.length; i++) {
            b.putShort((short) tagTypes[i]).putShort((short) (100 + i));
        }
        b.putShort((short) ethertype).put(payload);
        return b.array();
    }

    /** GRE flags byte (C 0x80, K 0x20, S 0x10) with the optional fields in RFC 2890 order. */
    static byte[] gre(int flags, int version, int protocol, byte[] payload) {
        int len = 4 + ((flags & 0x80) != 0 ? 4 : 0) + ((flags & 0x20) != 0 ? 4 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        ByteBuffer b = ByteBuffer.allocate(len + payload.length);
        b.put((byte) flags).put((byte) version).putShort((short) protocol);
        if ((flags & 0x80) != 0) {
            b.putShort((short) 0xBEEF).putShort((short) 0);
        }
        if ((flags & 0x20) != 0) {
            b.putInt(0);
        }
        if ((flags & 0x10) != 0) {
            b.putInt(42);
        }
        b.put(payload);
        return b.array();
    }

    /** The outer IPv4 header a raw socket delivers in front of GRE. */
    static byte[] outer(byte[] gre) {
        return ipv4("192.0.2.1", "127.0.0.1", 47, gre);
    }

    static byte[] cut(byte[] bytes, int length) {
        return java.util.Arrays.copyOf(bytes, length);
    }
}
