package dev.septum.flows.collect;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.septum.flows.mirror.GreFrame;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * A raw IPv4 socket for protocol 47 that sends GRE frames to one monitor node; the kernel writes the
 * outer IPv4 header (source address by its routing). One thread sends. Needs CAP_NET_RAW.
 */
final class GreSender implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = LinuxSocketCalls.callState(arena);
    private final MemorySegment destination;
    private final MemorySegment frame;
    private final ByteBuffer frameBuffer;
    private final long key;
    private final int fd;

    GreSender(Inet4Address monitor, long key) throws IOException {
        this.key = key;
        destination = arena.allocate(16, 8);
        destination.set(JAVA_SHORT, 0, (short) LinuxSocketCalls.AF_INET);
        MemorySegment.copy(MemorySegment.ofArray(monitor.getAddress()), 0, destination, 4, 4);
        frame = arena.allocate(65_535 + GreFrame.MAX_OVERHEAD, 64);
        frameBuffer = frame.asByteBuffer();
        try {
            fd = LinuxSocketCalls.socket(state, LinuxSocketCalls.AF_INET, LinuxSocketCalls.SOCK_RAW, 47);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Sends {@code ip} (position to limit) as one GRE frame.
     *
     * @return 0 when sent, else the errno (ENOBUFS under load, EHOSTUNREACH without a route)
     */
    int send(ByteBuffer ip) {
        frameBuffer.clear();
        GreFrame.write(ip, key, frameBuffer);
        long sent = LinuxSocketCalls.sendto(state, fd, frame, frameBuffer.position(), destination);
        return sent < 0 ? LinuxSocketCalls.errno(state) : 0;
    }

    @Override
    public void close() {
        LinuxSocketCalls.close(state, fd);
        arena.close();
    }
}
