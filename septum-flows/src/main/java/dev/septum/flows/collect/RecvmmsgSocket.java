package dev.septum.flows.collect;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * A UDP socket opened through the foreign-function API and read with {@code recvmmsg(2)}: up to
 * {@link #BATCH} datagrams per syscall, each into its own slot of one native buffer. perf put the
 * one-syscall-per-datagram receive of {@code DatagramChannel} at about a fifth of the collector's CPU
 * (mostly the syscall's entry and exit on this VM), which a batch pays once.
 *
 * <p>{@code MSG_WAITFORONE} blocks for the first datagram only and then takes what is queued, so a
 * quiet socket costs nothing and a busy one fills the batch. {@code SO_RCVTIMEO} bounds the wait, so
 * the loop notices a stop even if {@code shutdown(SHUT_RD)} did not wake it.
 */
final class RecvmmsgSocket implements DatagramSource {
    /** Datagrams per call: at 100 k datagrams/s a full batch is one syscall every 0.6 ms. */
    static final int BATCH = 64;
    private static final int WAIT_US = 250_000;

    private static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    /** struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; } on LP64 Linux. */
    private static final StructLayout MMSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4),
            JAVA_INT.withName("msg_len"), MemoryLayout.paddingLayout(4));
    private static final long HDR = MMSGHDR.byteSize();
    private static final long NAME = offset("msg_name");
    private static final long NAMELEN = offset("msg_namelen");
    private static final long IOV = offset("msg_iov");
    private static final long IOVLEN = offset("msg_iovlen");
    private static final long FLAGS = offset("msg_flags");
    private static final long LEN = offset("msg_len");
    /** sizeof(struct sockaddr_in6), which also holds a sockaddr_in. */
    private static final int SOCKADDR = 28;
    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    private final Arena arena;
    private final MemorySegment state;
    private final int fd;
    private final int port;
    private final int batch;
    /** The IP protocol of a raw socket; -1 for UDP. */
    private final int rawProtocol;
    private final MemorySegment headers;
    private final MemorySegment names;
    private final ByteBuffer[] slots;
    /** The last sender seen and its address object: exporters send bursts, so most lookups hit. */
    private final MemorySegment lastName;
    private InetSocketAddress lastSender;
    private int lastLength = -1;
    private int received;
    private volatile long overruns;
    private volatile boolean stopped;
    private boolean closed;

    private RecvmmsgSocket(Arena arena, MemorySegment state, int fd, int batch, int slotBytes, int rawProtocol)
            throws IOException {
        this.arena = arena;
        this.rawProtocol = rawProtocol;
        this.state = state;
        this.fd = fd;
        this.batch = batch;
        MemorySegment bound = arena.allocate(SOCKADDR);
        MemorySegment length = arena.allocate(JAVA_INT);
        length.set(JAVA_INT, 0, SOCKADDR);
        LinuxSocketCalls.getsockname(state, fd, bound, length);
        this.port = bound.get(PORT, 2) & 0xFFFF;
        headers = arena.allocate(HDR * batch, 8);
        names = arena.allocate((long) SOCKADDR * batch, 8);
        MemorySegment iovecs = arena.allocate(IOVEC.byteSize() * batch, 8);
        // The datagrams land in a plain direct buffer, not in the arena: a buffer a segment hands out
        // checks the arena is still open on every read, and the decoder reads about fifteen fields per
        // record. The slots keep the memory reachable as long as this socket is.
        ByteBuffer data = ByteBuffer.allocateDirect(Math.multiplyExact(slotBytes, batch) + 63).alignedSlice(64);
        MemorySegment dataAddress = MemorySegment.ofBuffer(data);
        slots = new ByteBuffer[batch];
        for (int i = 0; i < batch; i++) {
            MemorySegment slot = dataAddress.asSlice((long) slotBytes * i, slotBytes);
            slots[i] = data.slice(slotBytes * i, slotBytes);
            MemorySegment iov = iovecs.asSlice(IOVEC.byteSize() * i, IOVEC.byteSize());
            iov.set(ADDRESS, 0, slot);
            iov.set(JAVA_LONG, 8, slotBytes);
            MemorySegment h = headers.asSlice(HDR * i, HDR);
            h.set(ADDRESS, NAME, names.asSlice((long) SOCKADDR * i, SOCKADDR));
            h.set(JAVA_INT, NAMELEN, SOCKADDR);
            h.set(ADDRESS, IOV, iov);
            h.set(JAVA_LONG, IOVLEN, 1);
        }
        lastName = arena.allocate(SOCKADDR);
        received = batch; // every name length is (re)set before the first call
    }

    /**
     * @param slotBytes the longest datagram received whole; a longer one comes back flagged truncated
     */
    static RecvmmsgSocket open(InetSocketAddress listen, int receiveBufferBytes, int slotBytes, int batch)
            throws IOException {
        boolean v6 = listen.getAddress() instanceof Inet6Address;
        return open(v6 ? LinuxSocketCalls.AF_INET6 : LinuxSocketCalls.AF_INET, LinuxSocketCalls.SOCK_DGRAM, 0,
                arena -> sockaddr(arena, listen), receiveBufferBytes, slotBytes, batch);
    }

    /**
     * A raw IPv4 socket for one IP protocol (47 for GRE): each datagram is a whole IP packet, outer
     * header included, and the sender's port reads 0. Binding to an address keeps only packets sent to
     * it. Needs CAP_NET_RAW.
     */
    static RecvmmsgSocket openRawIpv4(java.net.Inet4Address listen, int protocol, int receiveBufferBytes, int slotBytes,
                                      int batch) throws IOException {
        return open(LinuxSocketCalls.AF_INET, LinuxSocketCalls.SOCK_RAW, protocol,
                arena -> sockaddr(arena, new InetSocketAddress(listen, 0)), receiveBufferBytes, slotBytes, batch);
    }

    /**
     * A netlink socket ({@code AF_NETLINK}, e.g. NETLINK_NETFILTER for NFLOG) bound with the kernel
     * choosing its port id; {@link #sendToKernel} carries its configuration requests.
     */
    static RecvmmsgSocket openNetlink(int protocol, int receiveBufferBytes, int slotBytes, int batch) throws IOException {
        return open(LinuxSocketCalls.AF_NETLINK, LinuxSocketCalls.SOCK_RAW, protocol, RecvmmsgSocket::kernelNetlinkAddress,
                receiveBufferBytes, slotBytes, batch);
    }

    /** struct sockaddr_nl { family; pad; pid 0 (the kernel); groups 0 }. */
    private static MemorySegment kernelNetlinkAddress(Arena arena) {
        MemorySegment s = arena.allocate(12, 4);
        s.set(JAVA_SHORT, 0, (short) LinuxSocketCalls.AF_NETLINK);
        return s;
    }

    /** Sends one netlink request to the kernel (the bytes between {@code request}'s position and limit). */
    void sendToKernel(ByteBuffer request) throws IOException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment data = call.allocate(Math.max(1, request.remaining()));
            MemorySegment.copy(MemorySegment.ofBuffer(request), 0, data, 0, request.remaining());
            MemorySegment callState = LinuxSocketCalls.callState(call);
            if (LinuxSocketCalls.sendto(callState, fd, data, request.remaining(), kernelNetlinkAddress(call)) < 0) {
                throw new IOException("netlink sendto: " + LinuxSocketCalls.strerror(LinuxSocketCalls.errno(callState)));
            }
        }
    }

    private static RecvmmsgSocket open(int family, int type, int protocol,
                                       java.util.function.Function<Arena, MemorySegment> address,
                                       int receiveBufferBytes, int slotBytes, int batch) throws IOException {
        if (!platformSupported()) {
            throw new UnsupportedOperationException("recvmmsg: Linux on x86_64 or aarch64 only");
        }
        Arena arena = Arena.ofShared();
        MemorySegment state = LinuxSocketCalls.callState(arena);
        int fd = -1;
        try {
            fd = LinuxSocketCalls.socket(state, family, type, protocol);
            MemorySegment buf = arena.allocate(JAVA_INT);
            buf.set(JAVA_INT, 0, receiveBufferBytes);
            // A raw socket needs root anyway, and root may pass rmem_max (SO_RCVBUFFORCE): a mirror
            // sends one datagram per packet, each costing a whole skb of the buffer, so the usual cap
            // holds a few tens of milliseconds of traffic at 50,000 packets/s.
            if (type != LinuxSocketCalls.SOCK_RAW
                    || !LinuxSocketCalls.trySetsockopt(state, fd, LinuxSocketCalls.SO_RCVBUFFORCE, buf)) {
                LinuxSocketCalls.setsockopt(state, fd, LinuxSocketCalls.SO_RCVBUF, buf);
            }
            MemorySegment timeout = arena.allocate(16, 8); // struct timeval { long tv_sec; long tv_usec; }
            timeout.set(JAVA_LONG, 8, WAIT_US);
            LinuxSocketCalls.setsockopt(state, fd, LinuxSocketCalls.SO_RCVTIMEO, timeout);
            LinuxSocketCalls.bind(state, fd, address.apply(arena));
            return new RecvmmsgSocket(arena, state, fd, batch, slotBytes,
                    type == LinuxSocketCalls.SOCK_RAW && family == LinuxSocketCalls.AF_INET ? protocol : -1);
        } catch (IOException | RuntimeException | Error e) {
            if (fd >= 0) {
                LinuxSocketCalls.close(state, fd);
            }
            arena.close();
            throw e;
        }
    }

    private static MemorySegment sockaddr(Arena arena, InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        MemorySegment s = arena.allocate(ip.length == 4 ? 16 : SOCKADDR, 8);
        s.set(JAVA_SHORT, 0, (short) (ip.length == 4 ? LinuxSocketCalls.AF_INET : LinuxSocketCalls.AF_INET6));
        s.set(PORT, 2, (short) a.getPort());
        MemorySegment.copy(MemorySegment.ofArray(ip), 0, s, ip.length == 4 ? 4 : 8, ip.length);
        if (a.getAddress() instanceof Inet6Address v6) {
            s.set(JAVA_INT, 24, v6.getScopeId());
        }
        return s;
    }

    /**
     * Linux on x86_64 or aarch64: the only platforms whose constants and layouts {@link LinuxSocketCalls}
     * spells out. Checked without loading that class, whose libc lookups would fail elsewhere.
     */
    static boolean platformSupported() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).equals("linux")
                && switch (System.getProperty("os.arch", "")) {
                    case "amd64", "x86_64", "aarch64" -> true;
                    default -> false;
                };
    }

    private static long offset(String field) {
        return MMSGHDR.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    @Override
    public int receive() throws IOException {
        if (stopped) {
            return -1;
        }
        for (int i = 0; i < received; i++) {
            headers.set(JAVA_INT, HDR * i + NAMELEN, SOCKADDR); // the kernel wrote the sender's length here
        }
        int n = LinuxSocketCalls.recvmmsg(state, fd, headers, batch, LinuxSocketCalls.MSG_WAITFORONE);
        if (stopped) {
            received = Math.max(n, 0);
            return -1;
        }
        if (n < 0) {
            received = 0;
            int errno = LinuxSocketCalls.errno(state);
            if (errno == LinuxSocketCalls.EAGAIN || errno == LinuxSocketCalls.EINTR) {
                return 0; // SO_RCVTIMEO passed, or a signal: the caller checks whether to go on
            }
            if (errno == LinuxSocketCalls.ENOBUFS) {
                overruns++; // netlink: the kernel dropped messages we were too slow for; the socket goes on
                return 0;
            }
            throw new IOException("recvmmsg: " + LinuxSocketCalls.strerror(errno));
        }
        received = n;
        for (int i = 0; i < n; i++) {
            slots[i].limit(headers.get(JAVA_INT, HDR * i + LEN)).position(0);
        }
        return n;
    }

    /** How often a netlink socket reported lost messages (ENOBUFS); 0 for IP sockets. */
    long overruns() {
        return overruns;
    }

    @Override
    public ByteBuffer datagram(int i) {
        return slots[i];
    }

    @Override
    public boolean truncated(int i) {
        return (headers.get(JAVA_INT, HDR * i + FLAGS) & LinuxSocketCalls.MSG_TRUNC) != 0;
    }

    @Override
    public InetSocketAddress sender(int i) {
        int length = Math.min(headers.get(JAVA_INT, HDR * i + NAMELEN), SOCKADDR);
        MemorySegment name = names.asSlice((long) SOCKADDR * i, length);
        if (length != lastLength || MemorySegment.mismatch(name, 0, length, lastName, 0, length) != -1) {
            lastSender = decode(name);
            MemorySegment.copy(name, 0, lastName, 0, length);
            lastLength = length;
        }
        return lastSender;
    }

    private static InetSocketAddress decode(MemorySegment name) {
        int family = name.byteSize() >= 2 ? name.get(JAVA_SHORT, 0) : -1;
        try {
            if (family == LinuxSocketCalls.AF_INET && name.byteSize() >= 8) {
                byte[] ip = name.asSlice(4, 4).toArray(JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(ip), name.get(PORT, 2) & 0xFFFF);
            }
            if (family == LinuxSocketCalls.AF_INET6 && name.byteSize() >= SOCKADDR) {
                byte[] ip = name.asSlice(8, 16).toArray(JAVA_BYTE);
                int scope = name.get(JAVA_INT, 24);
                // getByAddress turns ::ffff:a.b.c.d into an Inet4Address, as DatagramChannel does
                InetAddress a = scope != 0 && InetAddress.getByAddress(ip) instanceof Inet6Address
                        ? Inet6Address.getByAddress(null, ip, scope) : InetAddress.getByAddress(ip);
                return new InetSocketAddress(a, name.get(PORT, 2) & 0xFFFF);
            }
        } catch (java.net.UnknownHostException e) {
            // cannot happen for 4- and 16-byte addresses
        }
        return new InetSocketAddress(0); // no usable sender address: one shared "unknown exporter"
    }

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public long kernelDrops() {
        // a raw socket's "port" in /proc/net/raw is its protocol, which getsockname also reports
        return rawProtocol >= 0 ? KernelDrops.forRawProtocol(rawProtocol) : KernelDrops.forLocalPort(port);
    }

    @Override
    public int receiveBufferBytes() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment value = call.allocate(JAVA_INT);
            MemorySegment length = call.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 4);
            LinuxSocketCalls.getsockopt(LinuxSocketCalls.callState(call), fd, LinuxSocketCalls.SO_RCVBUF, value, length);
            // the kernel reports twice what it granted (the rest is its bookkeeping); the JDK halves it
            // for DatagramChannel on Linux, so both paths report the same number
            return value.get(JAVA_INT, 0) / 2;
        } catch (IOException | IllegalStateException e) {
            return -1;
        }
    }

    @Override
    public String description() {
        return (rawProtocol >= 0 ? "raw IPv4 socket for protocol " + rawProtocol + ", " : "")
                + "recvmmsg, up to " + batch + " datagrams per call";
    }

    @Override
    public void stopReceiving() {
        stopped = true;
        try (Arena call = Arena.ofConfined()) {
            LinuxSocketCalls.shutdownReceive(LinuxSocketCalls.callState(call), fd);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopReceiving();
        try (Arena call = Arena.ofConfined()) {
            LinuxSocketCalls.close(LinuxSocketCalls.callState(call), fd);
        }
        try {
            arena.close();
        } catch (IllegalStateException e) {
            // still in a downcall (the receiving thread did not end): leave the memory rather than crash
        }
    }
}
