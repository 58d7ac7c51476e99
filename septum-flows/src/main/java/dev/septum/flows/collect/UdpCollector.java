package dev.septum.flows.collect;

import dev.septum.flows.decode.MessageDecoder;
import dev.septum.flows.session.SessionListener;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionTable;
import dev.septum.flows.session.SessionTimeouts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The monitor node's inlet: socket → decoder → template cache → session table. One thread receives
 * (blocking: one syscall per datagram) and decodes, so template state needs no locking; a lock per
 * datagram lets readers take consistent session snapshots and lets a timer thread run expiry once a
 * second.
 */
public final class UdpCollector implements AutoCloseable {
    public record Config(InetSocketAddress listen, int receiveBufferBytes, SessionTimeouts timeouts,
                         int maxSessions, MessageDecoder.Limits limits) {
        public static Config defaults(InetSocketAddress listen) {
            return new Config(listen, 16 << 20, SessionTimeouts.EOS_DEFAULTS, 1_000_000, MessageDecoder.Limits.DEFAULT);
        }
    }

    private static final long TICK_MS = 1000;

    private final Config config;
    private final MessageDecoder decoder;
    private final SessionTable table;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final DatagramChannel channel;
    private final Thread thread;
    private final Thread timer;
    private volatile boolean running = true;
    private volatile long finalKernelDrops;
    private int port;
    private volatile Consumer<Throwable> onFailure = e -> { };

    private UdpCollector(Config config, SessionListener listener) throws IOException {
        this.config = config;
        this.decoder = new MessageDecoder(config.limits());
        this.table = new SessionTable(config.timeouts(), config.maxSessions(), listener);
        this.channel = DatagramChannel.open(config.listen().getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferBytes());
            channel.bind(config.listen());
            port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        thread = Thread.ofPlatform().name("septum-collector").daemon(true).unstarted(this::loop);
        timer = Thread.ofPlatform().name("septum-collector-timer").daemon(true).unstarted(this::ticker);
    }

    /** Binds the socket and starts receiving. */
    public static UdpCollector start(Config config, SessionListener listener) throws IOException {
        UdpCollector c = new UdpCollector(config, listener);
        c.thread.start();
        c.timer.start();
        return c;
    }

    public void onFailure(Consumer<Throwable> handler) {
        this.onFailure = handler;
    }

    public InetSocketAddress localAddress() {
        return new InetSocketAddress(config.listen().getAddress(), port);
    }

    /** What the kernel granted for SO_RCVBUF (Linux doubles the request, capped by rmem_max). */
    public int receiveBufferBytes() {
        try {
            return channel.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            return -1;
        }
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
        try {
            while (running) {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                buf.flip();
                handle(buf, (InetSocketAddress) from);
            }
        } catch (java.nio.channels.AsynchronousCloseException e) {
            // close(): the normal way out of a blocking receive
        } catch (IOException | RuntimeException e) {
            if (running) {
                onFailure.accept(e);
            }
        }
    }

    /**
     * One datagram. A method of its own so the JIT compiles it normally: a never-ending loop body is
     * only ever compiled on-stack, late, and was seen running profiled (tier 3) code for seconds.
     */
    private void handle(ByteBuffer buf, InetSocketAddress from) {
        long now = System.currentTimeMillis();
        datagrams.incrementAndGet();
        bytes.addAndGet(buf.remaining());
        lock.lock();
        try {
            table.setNow(now);
            decoder.decode(buf, from, now, table);
        } finally {
            lock.unlock();
        }
    }

    /** Expiry runs on its own timer so the receive loop can block in receive() (one syscall per datagram). */
    private void ticker() {
        while (running) {
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            tick(System.currentTimeMillis());
        }
    }

    private void tick(long now) {
        lock.lock();
        try {
            decoder.expire(now);
            table.expire(now);
        } finally {
            lock.unlock();
        }
    }

    /** Live sessions, totals (or only what is not yet exported, for a store). */
    public List<SessionRow> snapshot(boolean sinceLastExport) {
        lock.lock();
        try {
            return table.snapshot(sinceLastExport);
        } finally {
            lock.unlock();
        }
    }

    public MessageDecoder decoder() {
        return decoder;
    }

    public long datagrams() {
        return datagrams.get();
    }

    /** All counters, named for metrics: socket, decoder, session table, kernel drops. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("datagrams", datagrams.get());
        m.put("bytes", bytes.get());
        m.putAll(decoder.counters().asMap());
        m.putAll(table.counters().asMap());
        m.put("kernel_drops", channel.isOpen() ? KernelDrops.forLocalPort(port) : finalKernelDrops);
        return m;
    }

    /** Stops receiving and ends every live session (exported with reason forced end). */
    @Override
    public void close() throws IOException {
        running = false;
        timer.interrupt();
        // The per-socket drop count vanishes with the socket: keep the last reading.
        finalKernelDrops = KernelDrops.forLocalPort(localAddress().getPort());
        channel.close(); // wakes the blocked receive with AsynchronousCloseException
        try {
            thread.join(5_000);
            timer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            table.flushAll();
        } finally {
            lock.unlock();
        }

    }
}
