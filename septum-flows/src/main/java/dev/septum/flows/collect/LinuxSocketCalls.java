package dev.septum.flows.collect;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.BindException;

/**
 * The libc socket calls {@link RecvmmsgSocket} and {@link PacketRing} need, bound once through the foreign-function API
 * (no JNI). Constants and struct layouts are Linux's on the LP64 ABIs of x86_64 and aarch64, which is
 * why {@link RecvmmsgSocket#platformSupported()} names exactly those; loading this class elsewhere
 * fails (libc lookups), so only code that has checked that touches it. Every call captures errno in
 * the same downcall: reading it afterwards from Java would see whatever the JVM did in between.
 */
final class LinuxSocketCalls {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int AF_PACKET = 17;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVTIMEO = 20;
    static final int SO_RCVBUFFORCE = 33;
    static final int SO_ATTACH_FILTER = 26;
    static final int SOL_PACKET = 263;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int TPACKET_V3 = 2;
    static final int ETH_P_IP = 0x0800;
    static final short POLLIN = 1;
    static final int SHUT_RD = 0;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_WAITFORONE = 0x10000;
    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EADDRINUSE = 98;
    static final int ENOBUFS = 105;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final long MAP_FAILED = -1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = bind("socket", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = bind("bind", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKNAME = bind("getsockname", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKOPT = bind("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle RECVMMSG = bind("recvmmsg", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle SENDTO = LINKER.downcallHandle(symbol("sendto"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle POLL = bind("poll", ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle MMAP = LINKER.downcallHandle(symbol("mmap"),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle MUNMAP = bind("munmap", ADDRESS, JAVA_LONG);
    private static final MethodHandle SHUTDOWN = bind("shutdown", JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = bind("close", JAVA_INT);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(symbol("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private LinuxSocketCalls() {
    }

    /** An int-returning call that sets errno on failure. */
    private static MethodHandle bind(String name, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(JAVA_INT, args),
                Linker.Option.captureCallState("errno"));
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsupportedOperationException("libc has no " + name + "()"));
    }

    /** Where one thread's calls leave errno; each thread that calls needs its own. */
    static MemorySegment callState(java.lang.foreign.Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static int socket(MemorySegment state, int domain) throws IOException {
        return socket(state, domain, SOCK_DGRAM, 0);
    }

    /** A socket of any type; a raw or packet one needs CAP_NET_RAW, so EPERM names that. */
    static int socket(MemorySegment state, int domain, int type, int protocol) throws IOException {
        int fd = call(SOCKET, state, domain, type | SOCK_CLOEXEC, protocol);
        if (fd < 0 && (type == SOCK_RAW || domain == AF_PACKET) && errno(state) == EPERM) {
            throw new IOException("socket: " + strerror(EPERM) + ": a " + (domain == AF_PACKET ? "packet" : "raw IP")
                    + " socket needs root or CAP_NET_RAW");
        }
        return check(state, "socket", fd);
    }

    static void bind(MemorySegment state, int fd, MemorySegment address) throws IOException {
        int rc = call(BIND, state, fd, address, (int) address.byteSize());
        if (rc < 0 && errno(state) == EADDRINUSE) {
            throw new BindException("bind: " + strerror(EADDRINUSE));
        }
        check(state, "bind", rc);
    }

    static void getsockname(MemorySegment state, int fd, MemorySegment address, MemorySegment length)
            throws IOException {
        check(state, "getsockname", call(GETSOCKNAME, state, fd, address, length));
    }

    static void setsockopt(MemorySegment state, int fd, int option, MemorySegment value) throws IOException {
        setsockopt(state, fd, SOL_SOCKET, option, value);
    }

    static void setsockopt(MemorySegment state, int fd, int level, int option, MemorySegment value) throws IOException {
        check(state, "setsockopt", call(SETSOCKOPT, state, fd, level, option, value, (int) value.byteSize()));
    }

    /** A socket option that may be refused (EPERM without CAP_NET_ADMIN): true when it was set. */
    static boolean trySetsockopt(MemorySegment state, int fd, int option, MemorySegment value) {
        return call(SETSOCKOPT, state, fd, SOL_SOCKET, option, value, (int) value.byteSize()) == 0;
    }

    static void getsockopt(MemorySegment state, int fd, int option, MemorySegment value, MemorySegment length)
            throws IOException {
        getsockopt(state, fd, SOL_SOCKET, option, value, length);
    }

    static void getsockopt(MemorySegment state, int fd, int level, int option, MemorySegment value,
                           MemorySegment length) throws IOException {
        check(state, "getsockopt", call(GETSOCKOPT, state, fd, level, option, value, length));
    }

    /**
     * Waits up to {@code timeoutMs} for {@code events} on one descriptor (a {@code struct pollfd} the
     * caller filled); the receive loop's wait, so an exact invocation.
     *
     * @return 1 when ready, 0 on timeout, -1 with errno in {@code state}
     */
    static int poll(MemorySegment state, MemorySegment pollfd, int timeoutMs) {
        try {
            return (int) POLL.invokeExact(state, pollfd, 1L, timeoutMs);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Maps {@code length} bytes of {@code fd} shared, readable and writable (a packet socket's ring). */
    static MemorySegment mmapShared(MemorySegment state, int fd, long length) throws IOException {
        MemorySegment at;
        try {
            at = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, PROT_READ | PROT_WRITE,
                    MAP_SHARED, fd, 0L);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (at.address() == MAP_FAILED) {
            throw new IOException("mmap: " + strerror(errno(state)));
        }
        return at.reinterpret(length);
    }

    static void munmap(MemorySegment state, MemorySegment mapped) {
        call(MUNMAP, state, mapped, mapped.byteSize());
    }

    /** @return datagrams received, or -1 with errno in {@code state} */
    static int recvmmsg(MemorySegment state, int fd, MemorySegment messages, int count, int flags) {
        try {
            // invokeExact, unlike call(): the receive loop makes this call thousands of times a second
            return (int) RECVMMSG.invokeExact(state, fd, messages, count, flags, MemorySegment.NULL);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Sends one datagram to {@code address}; the per-packet path, so an exact invocation.
     *
     * @return bytes sent, or -1 with errno in {@code state}
     */
    static long sendto(MemorySegment state, int fd, MemorySegment data, long length, MemorySegment address) {
        try {
            return (long) SENDTO.invokeExact(state, fd, data, length, 0, address, (int) address.byteSize());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Wakes a thread blocked receiving on {@code fd}; errors (ENOTCONN on UDP) are expected and ignored. */
    static void shutdownReceive(MemorySegment state, int fd) {
        call(SHUTDOWN, state, fd, SHUT_RD);
    }

    static void close(MemorySegment state, int fd) {
        call(CLOSE, state, fd);
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static int check(MemorySegment state, String what, int rc) throws IOException {
        if (rc < 0) {
            throw new IOException(what + ": " + strerror(errno(state)));
        }
        return rc;
    }

    /** Set-up calls only: invokeWithArguments boxes its arguments. */
    private static int call(MethodHandle handle, MemorySegment state, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = state;
        System.arraycopy(args, 0, all, 1, args.length);
        try {
            return (int) handle.invokeWithArguments(all);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
