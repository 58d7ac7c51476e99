package dev.septum.flows.collect;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The mirror intake's packet source: an {@code AF_PACKET} socket with a {@code TPACKET_V3} receive
 * ring, filtered in the kernel (classic BPF) to GRE sent to the monitor address. The kernel writes each
 * packet into a block of memory shared with us and hands over a whole block when it is full or after
 * {@value #BLOCK_TIMEOUT_MS} ms; one {@code poll} per block replaces a wake-up, a syscall and a copy
 * out of a socket buffer per few packets, which is where the raw socket spent its time (measured: see
 * bench/RESULTS.md, issue 13). A batch is one block, read in place: {@link #datagram} is a view of the
 * ring, valid until the next {@link #receive}, which gives the block back.
 *
 * <p>The ring sees packets before the IP layer: on every interface, outer fragments one by one (the
 * decoder meters a first fragment and counts the rest) and whatever a host firewall would drop. A raw
 * socket for protocol 47 stays bound to the address, reading nothing (its filter drops all): it proves
 * the address is this host's, and while one exists the kernel does not answer each mirrored packet
 * with an ICMP protocol-unreachable to the switch.
 */
final class PacketRing implements DatagramSource {
    /** Each block: room for about a thousand mirrored packets, allocated by the kernel as one piece. */
    static final int BLOCK_BYTES = 1 << 18;
    /**
     * How long a block with packets in it may wait for more before the kernel hands it over. A sparse
     * stream fills a block per timeout, so the ring's blocks times this is the longest the receive
     * thread may stall (a GC pause, the first batch's class loading, a busy machine) before the kernel
     * finds no free block and drops: with {@value #MIN_BLOCKS} blocks at least half a second.
     */
    static final int BLOCK_TIMEOUT_MS = 32;
    static final int MIN_BLOCKS = 16;
    private static final int FRAME_BYTES = 2048;
    private static final int WAIT_MS = 250;
    private static final int GRE = 47;
    private static final int PACKET_HOST = 0;
    private static final int TP_STATUS_KERNEL = 0;
    private static final int TP_STATUS_USER = 1;
    // struct tpacket_block_desc: version, offset_to_priv, then tpacket_hdr_v1 from byte 8
    private static final long BLOCK_STATUS = 8;
    private static final long BLOCK_PACKETS = 12;
    private static final long BLOCK_FIRST = 16;
    // struct tpacket3_hdr
    private static final long NEXT_OFFSET = 0;
    private static final long SNAPLEN = 12;
    private static final long LEN = 16;
    private static final long NET = 26;
    private static final VarHandle STATUS = JAVA_INT.varHandle();

    private final Arena arena;
    private final MemorySegment state;
    private final int fd;
    private final int claimFd;
    private final MemorySegment ring;
    private final ByteBuffer view;
    private final int blocks;
    private final MemorySegment pollfd;
    private final MemorySegment statistics;
    private final MemorySegment statisticsLength;
    private int[] starts = new int[1024];
    private int[] ends = new int[1024];
    private boolean[] cut = new boolean[1024];
    private int block;
    private boolean holding;
    private int lastSource;
    private InetSocketAddress lastSender;
    private long drops;
    private volatile boolean stopped;
    private boolean closed;

    private PacketRing(Arena arena, MemorySegment state, int fd, int claimFd, MemorySegment ring, int blocks) {
        this.arena = arena;
        this.state = state;
        this.fd = fd;
        this.claimFd = claimFd;
        this.ring = ring;
        this.view = ring.asByteBuffer().order(ByteOrder.BIG_ENDIAN);
        this.blocks = blocks;
        pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, LinuxSocketCalls.POLLIN);
        statistics = arena.allocate(12, 4); // struct tpacket_stats_v3 { packets; drops; freeze_q_cnt; }
        statisticsLength = arena.allocate(JAVA_INT);
    }

    /**
     * Opens the ring for GRE to {@code monitor} on every interface. Needs CAP_NET_RAW.
     *
     * @param ringBytes the ring's size, rounded to whole blocks of {@value #BLOCK_BYTES} bytes, at least
     *     {@value #MIN_BLOCKS} of them
     */
    static PacketRing openGre(Inet4Address monitor, int ringBytes) throws IOException {
        if (!RecvmmsgSocket.platformSupported()) {
            throw new UnsupportedOperationException("a packet ring needs Linux on x86_64 or aarch64");
        }
        int blocks = Math.clamp(ringBytes / BLOCK_BYTES, MIN_BLOCKS, 4096);
        Arena arena = Arena.ofShared();
        MemorySegment state = LinuxSocketCalls.callState(arena);
        int claimFd = -1;
        int fd = -1;
        try {
            // protocol 0 receives nothing until bind names one: no unfiltered packet slips in before the filter
            fd = LinuxSocketCalls.socket(state, LinuxSocketCalls.AF_PACKET, LinuxSocketCalls.SOCK_DGRAM, 0);
            attachFilter(arena, state, fd, greTo(monitor));
            MemorySegment version = arena.allocate(JAVA_INT);
            version.set(JAVA_INT, 0, LinuxSocketCalls.TPACKET_V3);
            LinuxSocketCalls.setsockopt(state, fd, LinuxSocketCalls.SOL_PACKET, LinuxSocketCalls.PACKET_VERSION, version);
            MemorySegment request = arena.allocate(7 * 4, 4); // struct tpacket_req3
            request.set(JAVA_INT, 0, BLOCK_BYTES);
            request.set(JAVA_INT, 4, blocks);
            request.set(JAVA_INT, 8, FRAME_BYTES);
            request.set(JAVA_INT, 12, BLOCK_BYTES / FRAME_BYTES * blocks);
            request.set(JAVA_INT, 16, BLOCK_TIMEOUT_MS);
            LinuxSocketCalls.setsockopt(state, fd, LinuxSocketCalls.SOL_PACKET, LinuxSocketCalls.PACKET_RX_RING, request);
            MemorySegment ring = LinuxSocketCalls.mmapShared(state, fd, (long) BLOCK_BYTES * blocks);
            try {
                // struct sockaddr_ll { family; protocol (big-endian); ifindex 0 = every interface; ... }
                MemorySegment address = arena.allocate(20, 4);
                address.set(JAVA_SHORT, 0, (short) LinuxSocketCalls.AF_PACKET);
                address.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) LinuxSocketCalls.ETH_P_IP);
                LinuxSocketCalls.bind(state, fd, address);
                // last: once /proc/net/raw lists it, the ring is already receiving
                claimFd = claimProtocol(arena, state, monitor);
            } catch (IOException | RuntimeException e) {
                LinuxSocketCalls.munmap(state, ring);
                throw e;
            }
            return new PacketRing(arena, state, fd, claimFd, ring, blocks);
        } catch (IOException | RuntimeException | Error e) {
            if (fd >= 0) {
                LinuxSocketCalls.close(state, fd);
            }
            if (claimFd >= 0) {
                LinuxSocketCalls.close(state, claimFd);
            }
            arena.close();
            throw e;
        }
    }

    /** The raw protocol-47 socket bound to {@code monitor} that reads nothing (see the class comment). */
    private static int claimProtocol(Arena arena, MemorySegment state, Inet4Address monitor) throws IOException {
        int fd = LinuxSocketCalls.socket(state, LinuxSocketCalls.AF_INET, LinuxSocketCalls.SOCK_RAW, GRE);
        try {
            attachFilter(arena, state, fd, new int[][] {{BPF_RET, 0, 0, 0}});
            MemorySegment address = arena.allocate(16, 4); // struct sockaddr_in
            address.set(JAVA_SHORT, 0, (short) LinuxSocketCalls.AF_INET);
            MemorySegment.copy(MemorySegment.ofArray(monitor.getAddress()), 0, address, 4, 4);
            LinuxSocketCalls.bind(state, fd, address);
            return fd;
        } catch (IOException | RuntimeException e) {
            LinuxSocketCalls.close(state, fd);
            throw e;
        }
    }

    private static final int BPF_LDB = 0x30;
    private static final int BPF_LDW = 0x20;
    private static final int BPF_JEQ = 0x15;
    private static final int BPF_RET = 0x06;
    /** SKF_AD_OFF + SKF_AD_PKTTYPE: the packet's type (host, broadcast, outgoing, ...). */
    private static final int LOAD_PKTTYPE = 0xFFFFF000 + 4;

    /**
     * Classic BPF, offsets from the IPv4 header (a SOCK_DGRAM packet socket): packets addressed to this
     * host (not our own outgoing copies on loopback), protocol GRE, destination {@code monitor}; whole.
     * Each instruction is {code, jump if true, jump if false, k}.
     */
    private static int[][] greTo(Inet4Address monitor) {
        int address = ByteBuffer.wrap(monitor.getAddress()).getInt();
        return new int[][] {
            {BPF_LDB, 0, 0, LOAD_PKTTYPE},
            {BPF_JEQ, 0, 5, PACKET_HOST},
            {BPF_LDB, 0, 0, 9},
            {BPF_JEQ, 0, 3, GRE},
            {BPF_LDW, 0, 0, 16},
            {BPF_JEQ, 0, 1, address},
            {BPF_RET, 0, 0, 0x7FFF_FFFF},
            {BPF_RET, 0, 0, 0},
        };
    }

    /** SO_ATTACH_FILTER: struct sock_fprog { unsigned short len; struct sock_filter *filter; }. */
    private static void attachFilter(Arena arena, MemorySegment state, int fd, int[][] program) throws IOException {
        MemorySegment code = arena.allocate(8L * program.length, 8);
        for (int i = 0; i < program.length; i++) {
            code.set(JAVA_SHORT, 8L * i, (short) program[i][0]);
            code.set(JAVA_BYTE, 8L * i + 2, (byte) program[i][1]);
            code.set(JAVA_BYTE, 8L * i + 3, (byte) program[i][2]);
            code.set(JAVA_INT, 8L * i + 4, program[i][3]);
        }
        MemorySegment fprog = arena.allocate(16, 8);
        fprog.set(JAVA_SHORT, 0, (short) program.length);
        fprog.set(java.lang.foreign.ValueLayout.ADDRESS, 8, code);
        LinuxSocketCalls.setsockopt(state, fd, LinuxSocketCalls.SOL_SOCKET, LinuxSocketCalls.SO_ATTACH_FILTER, fprog);
    }

    @Override
    public int receive() throws IOException {
        if (holding) {
            // the previous batch is read: the block goes back to the kernel
            STATUS.setRelease(ring, offset(block) + BLOCK_STATUS, TP_STATUS_KERNEL);
            block = (block + 1) % blocks;
            holding = false;
        }
        if (stopped) {
            return -1;
        }
        if (!ready()) {
            int n = LinuxSocketCalls.poll(state, pollfd, WAIT_MS);
            if (stopped) {
                return -1;
            }
            if (n < 0) {
                int errno = LinuxSocketCalls.errno(state);
                if (errno == LinuxSocketCalls.EINTR) {
                    return 0;
                }
                throw new IOException("poll: " + LinuxSocketCalls.strerror(errno));
            }
            if (!ready()) {
                return 0;
            }
        }
        holding = true;
        return index();
    }

    private boolean ready() {
        return ((int) STATUS.getAcquire(ring, offset(block) + BLOCK_STATUS) & TP_STATUS_USER) != 0;
    }

    private long offset(int b) {
        return (long) b * BLOCK_BYTES;
    }

    /** Notes where each packet of the held block starts and ends. */
    private int index() {
        long base = offset(block);
        int n = ring.get(JAVA_INT, base + BLOCK_PACKETS);
        if (n > starts.length) {
            starts = new int[n];
            ends = new int[n];
            cut = new boolean[n];
        }
        long at = base + ring.get(JAVA_INT, base + BLOCK_FIRST);
        for (int i = 0; i < n; i++) {
            int start = (int) at + (ring.get(JAVA_SHORT, at + NET) & 0xFFFF);
            int snap = ring.get(JAVA_INT, at + SNAPLEN);
            starts[i] = start;
            ends[i] = start + snap;
            cut[i] = snap < ring.get(JAVA_INT, at + LEN);
            at += ring.get(JAVA_INT, at + NEXT_OFFSET);
        }
        return n;
    }

    /** One view of the ring for every packet: valid until the next call of this method or {@link #receive}. */
    @Override
    public ByteBuffer datagram(int i) {
        return view.limit(ends[i]).position(starts[i]);
    }

    @Override
    public boolean truncated(int i) {
        return cut[i];
    }

    /** The outer IPv4 source, as a raw socket reports the sender (port 0). */
    @Override
    public InetSocketAddress sender(int i) {
        int source = starts[i] + 16 <= ends[i] ? view.getInt(starts[i] + 12) : 0;
        if (lastSender == null || source != lastSource) {
            try {
                lastSender = new InetSocketAddress(InetAddress.getByAddress(
                        ByteBuffer.allocate(4).putInt(source).array()), 0);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // cannot happen for 4 bytes
            }
            lastSource = source;
        }
        return lastSender;
    }

    @Override
    public int localPort() {
        return 0;
    }

    /**
     * The ring's drops (PACKET_STATISTICS: packets that found no free block). The kernel resets its
     * counters on each read, so they are summed here.
     */
    @Override
    public synchronized long kernelDrops() {
        if (closed) {
            return drops;
        }
        try (Arena call = Arena.ofConfined()) {
            statisticsLength.set(JAVA_INT, 0, 12);
            LinuxSocketCalls.getsockopt(LinuxSocketCalls.callState(call), fd, LinuxSocketCalls.SOL_PACKET,
                    LinuxSocketCalls.PACKET_STATISTICS, statistics, statisticsLength);
            drops += Integer.toUnsignedLong(statistics.get(JAVA_INT, 4));
        } catch (IOException e) {
            return -1;
        }
        return drops;
    }

    /** The ring's size, which holds the packets a socket buffer would. */
    @Override
    public int receiveBufferBytes() {
        return (int) Math.min(Integer.MAX_VALUE, ring.byteSize());
    }

    @Override
    public String description() {
        return "AF_PACKET TPACKET_V3 ring, " + blocks + " blocks of " + (BLOCK_BYTES >> 10) + " KiB, BPF filter GRE to this address";
    }

    @Override
    public void stopReceiving() {
        stopped = true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        kernelDrops();
        closed = true;
        stopReceiving();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment callState = LinuxSocketCalls.callState(call);
            LinuxSocketCalls.munmap(callState, ring);
            LinuxSocketCalls.close(callState, fd);
            LinuxSocketCalls.close(callState, claimFd);
        }
        arena.close();
    }
}
