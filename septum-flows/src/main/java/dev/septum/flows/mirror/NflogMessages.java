package dev.septum.flows.mirror;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The netlink messages of NFLOG (nfnetlink_log), the kernel's "log group N" target: the request that
 * binds a group with whole-packet copies, and the walk over a received datagram's messages to the
 * packets they carry. Netlink headers and attribute headers are in host byte order, nfgenmsg's
 * resource id (the group) is big-endian. Every length is checked against its container.
 */
public final class NflogMessages {
    private static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_ERROR = 2;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_ACK = 4;
    private static final int NFNL_SUBSYS_ULOG = 4;
    private static final int NFULNL_MSG_PACKET = 0;
    private static final int NFULNL_MSG_CONFIG = 1;
    private static final int NFULA_CFG_CMD = 1;
    private static final int NFULA_CFG_MODE = 2;
    private static final int NFULA_CFG_QTHRESH = 5;
    private static final int NFULNL_CFG_CMD_BIND = 1;
    private static final int NFULNL_CFG_CMD_UNBIND = 2;
    private static final int NFULNL_COPY_PACKET = 2;
    private static final int NFULA_PAYLOAD = 9;
    /** Attribute type bits that are flags (nested, network byte order), not part of the type. */
    private static final int NLA_TYPE_MASK = 0x3FFF;
    private static final ByteOrder HOST = ByteOrder.nativeOrder();

    /** What a received datagram holds. */
    public interface Visitor {
        /** One logged packet from its network header on ({@code ip}'s position to limit), valid during the call. */
        void packet(ByteBuffer ip);

        /** The kernel's answer to a request: 0 acknowledges, otherwise a negative errno. */
        void answer(int seq, int error);

        /** A message too short for what its header says: the rest of the datagram is skipped. */
        void malformed();
    }

    private NflogMessages() {
    }

    /**
     * Binds {@code group} to this socket and asks for whole packets (up to 65535 bytes), handed over
     * as soon as {@code queueThreshold} are held (the kernel's own default is 100, or what it holds
     * after a second: a sparse flow's packets would arrive up to a second late), acknowledged.
     */
    public static ByteBuffer bind(int group, int seq, int queueThreshold) {
        if (queueThreshold < 1) {
            throw new IllegalArgumentException("an NFLOG queue threshold is at least 1, got " + queueThreshold);
        }
        ByteBuffer b = request(group, seq, 4 + 4 + 4 + 8 + 4 + 4);
        attribute(b, NFULA_CFG_CMD, 1).put((byte) NFULNL_CFG_CMD_BIND).put(new byte[3]);
        attribute(b, NFULA_CFG_MODE, 6).order(ByteOrder.BIG_ENDIAN).putInt(0xFFFF).put((byte) NFULNL_COPY_PACKET)
                .put((byte) 0).put(new byte[2]);
        attribute(b, NFULA_CFG_QTHRESH, 4).order(ByteOrder.BIG_ENDIAN).putInt(queueThreshold);
        return b.order(HOST).flip();
    }

    /** Releases {@code group}, so another reader may bind it. */
    public static ByteBuffer unbind(int group, int seq) {
        ByteBuffer b = request(group, seq, 8);
        attribute(b, NFULA_CFG_CMD, 1).put((byte) NFULNL_CFG_CMD_UNBIND).put(new byte[3]);
        return b.flip();
    }

    private static ByteBuffer request(int group, int seq, int attributes) {
        if (group < 0 || group > 65535) {
            throw new IllegalArgumentException("an NFLOG group is 0 to 65535, got " + group);
        }
        int length = NLMSG_HDRLEN + 4 + attributes;
        ByteBuffer b = ByteBuffer.allocate(length).order(HOST);
        b.putInt(length).putShort((short) ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG))
                .putShort((short) (NLM_F_REQUEST | NLM_F_ACK)).putInt(seq).putInt(0);
        b.put((byte) 0).put((byte) 0).order(ByteOrder.BIG_ENDIAN).putShort((short) group).order(HOST);
        return b;
    }

    private static ByteBuffer attribute(ByteBuffer b, int type, int payload) {
        return b.order(HOST).putShort((short) (4 + payload)).putShort((short) type);
    }

    /** Walks every message of one received datagram (position to limit). */
    public static void read(ByteBuffer datagram, Visitor visitor) {
        ByteBuffer b = datagram.duplicate().order(HOST);
        int at = b.position();
        int end = b.limit();
        while (end - at >= NLMSG_HDRLEN) {
            int length = b.getInt(at);
            int type = b.getShort(at + 4) & 0xFFFF;
            if (length < NLMSG_HDRLEN || length > end - at) {
                visitor.malformed();
                return;
            }
            if (type == NLMSG_ERROR) {
                if (length >= NLMSG_HDRLEN + 4) {
                    visitor.answer(b.getInt(at + 8), b.getInt(at + NLMSG_HDRLEN));
                } else {
                    visitor.malformed();
                }
            } else if (type == ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET)) {
                payload(b, at + NLMSG_HDRLEN + 4, at + length, visitor);
            }
            at += align(length);
        }
    }

    private static void payload(ByteBuffer b, int at, int end, Visitor visitor) {
        while (end - at >= 4) {
            int length = b.getShort(at) & 0xFFFF;
            if (length < 4 || length > end - at) {
                visitor.malformed();
                return;
            }
            if ((b.getShort(at + 2) & NLA_TYPE_MASK) == NFULA_PAYLOAD) {
                visitor.packet(b.duplicate().limit(at + length).position(at + 4).slice().order(ByteOrder.BIG_ENDIAN));
                return;
            }
            at += align(length);
        }
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }
}
