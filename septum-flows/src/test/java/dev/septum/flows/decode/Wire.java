package dev.septum.flows.decode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Builds IPFIX and NetFlow v9 bytes by hand for tests, field by field as the RFCs lay them out. */
final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Wire create() {
        return new Wire();
    }

    Wire u8(long v) {
        out.write((int) v);
        return this;
    }

    Wire u16(long v) {
        return u8(v >>> 8).u8(v);
    }

    Wire u32(long v) {
        return u16(v >>> 16).u16(v);
    }

    Wire u64(long v) {
        return u32(v >>> 32).u32(v);
    }

    Wire bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    Wire ipv4(int a, int b, int c, int d) {
        return u8(a).u8(b).u8(c).u8(d);
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    /** A set: id, length (header included), body. */
    static byte[] set(int id, byte[] body) {
        return create().u16(id).u16(4 + body.length).bytes(body).toBytes();
    }

    static byte[] ipfix(long sequence, long domain, byte[]... sets) {
        int len = 16;
        for (byte[] s : sets) {
            len += s.length;
        }
        Wire w = create().u16(10).u16(len).u32(1_700_000_000L).u32(sequence).u32(domain);
        for (byte[] s : sets) {
            w.bytes(s);
        }
        return w.toBytes();
    }

    static byte[] v9(long sysUptime, long unixSecs, long sequence, long sourceId, int count, byte[]... sets) {
        Wire w = create().u16(9).u16(count).u32(sysUptime).u32(unixSecs).u32(sequence).u32(sourceId);
        for (byte[] s : sets) {
            w.bytes(s);
        }
        return w.toBytes();
    }

    static ByteBuffer buffer(byte[] b) {
        return ByteBuffer.wrap(b);
    }
}
