package dev.septum.flows.collect;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The collector's socket: each {@link #receive()} fills a batch of datagrams, each with its sender (the
 * exporter half of the template and sequence keys). Two kinds, chosen in {@link #open} and nowhere else:
 * {@link RecvmmsgSocket} (many datagrams per syscall, Linux) and {@link ChannelSource} (one per syscall,
 * any platform).
 *
 * <p>One thread receives and reads the batch; {@link #stopReceiving()} may come from any thread;
 * {@link #close()} comes after the receiving thread has ended.
 */
public sealed interface DatagramSource extends AutoCloseable permits RecvmmsgSocket, ChannelSource, PacketRing {
    /**
     * How the collector receives. Flow records: {@code AUTO} is recvmmsg where it works, else the
     * channel. Mirrored packets: {@code AUTO} is the packet ring, {@code RECVMMSG} a raw socket.
     */
    enum Kind { AUTO, RECVMMSG, CHANNEL, RING }

    /**
     * Waits for datagrams (at most about a quarter second on the recvmmsg path, so a stop is noticed).
     *
     * @return datagrams in the batch, 0 if none came, -1 once {@link #stopReceiving()} was called
     */
    int receive() throws IOException;

    /**
     * Datagram {@code i} of the last batch, position to limit; valid until the next receive, and on the
     * packet ring only until the next call of this method (one view of the ring serves every packet).
     */
    ByteBuffer datagram(int i);

    InetSocketAddress sender(int i);

    /** Datagram {@code i} was longer than the slot that received it: its tail is lost, so it must not be decoded. */
    boolean truncated(int i);

    int localPort();

    /** Datagrams the kernel dropped for this socket (receive buffer full), -1 where unknown. */
    long kernelDrops();

    /** What the kernel granted for SO_RCVBUF (Linux doubles the request, capped by rmem_max). */
    int receiveBufferBytes();

    /** For the start-up line: which path, and why not recvmmsg when it was wanted. */
    String description();

    /** Makes a blocked or later {@link #receive()} return -1 soon. */
    void stopReceiving();

    @Override
    void close();

    /**
     * GRE (IP protocol 47) sent to {@code listen}, the monitor node's mirror intake: a packet ring
     * ({@code AUTO}, {@code RING}) or a raw IPv4 socket read with recvmmsg ({@code RECVMMSG}). The JDK
     * has neither, so there is no fallback; needs Linux (x86_64, aarch64) and CAP_NET_RAW.
     *
     * @param receiveBufferBytes the ring's size, or the raw socket's SO_RCVBUF
     */
    static DatagramSource openGre(java.net.Inet4Address listen, int receiveBufferBytes, int maxPacketBytes, Kind kind)
            throws IOException {
        try {
            return switch (kind) {
                case AUTO, RING -> PacketRing.openGre(listen, receiveBufferBytes);
                case RECVMMSG -> RecvmmsgSocket.openRawIpv4(listen, 47, receiveBufferBytes, maxPacketBytes,
                        RecvmmsgSocket.BATCH);
                case CHANNEL -> throw new IOException("the mirror intake needs a packet ring or a raw socket, which the "
                        + "JDK channel cannot open");
            };
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("the mirror intake needs the foreign-function API on Linux: " + e, e);
        }
    }

    /**
     * Opens and binds the socket. {@code AUTO} falls back to the channel when recvmmsg is not available
     * (another OS or CPU, native access denied, a failing libc call); a bind error is reported by the
     * channel's own attempt, so the message is the one users know.
     *
     * @param maxDatagramBytes longer datagrams are reported as {@link #truncated}
     */
    static DatagramSource open(InetSocketAddress listen, int receiveBufferBytes, int maxDatagramBytes, Kind kind)
            throws IOException {
        if (kind == Kind.RING) {
            throw new IOException("a packet ring reads mirrored packets (--mirror), not flow records");
        }
        if (kind == Kind.CHANNEL) {
            return ChannelSource.open(listen, receiveBufferBytes, maxDatagramBytes, "");
        }
        String why;
        if (!RecvmmsgSocket.platformSupported() && kind == Kind.AUTO) {
            why = "recvmmsg needs Linux on x86_64 or aarch64";
        } else {
            try {
                return RecvmmsgSocket.open(listen, receiveBufferBytes, maxDatagramBytes, RecvmmsgSocket.BATCH);
            } catch (IOException | RuntimeException | LinkageError e) {
                if (kind == Kind.RECVMMSG) {
                    throw e instanceof IOException io ? io : new IOException("recvmmsg path: " + e, e);
                }
                why = "recvmmsg unavailable: " + e;
            }
        }
        return ChannelSource.open(listen, receiveBufferBytes, maxDatagramBytes, why);
    }
}
