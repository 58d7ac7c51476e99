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
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The monitor node's inlet: socket → decoder → template cache → session table. One thread receives
 * and decodes, so template state needs no locking; a lock per datagram lets readers take consistent
 * session snapshots. Datagrams are drained without blocking and the loop waits in a selector only when
 * the socket is empty, which also gives the once-a-second timer for expiry.
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
    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long finalKernelDrops;
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
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        thread = Thread.ofPlatform().name("septum-collector").daemon(true).unstarted(this::loop);
    }

    /** Binds the socket and starts receiving. */
    public static UdpCollector start(Config config, SessionListener listener) throws IOException {
        UdpCollector c = new UdpCollector(config, listener);
        c.thread.start();
        return c;
    }

    public void onFailure(Consumer<Throwable> handler) {
        this.onFailure = handler;
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return config.listen();
        }
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
        long nextTick = System.currentTimeMillis() + TICK_MS;
        try {
            while (running) {
                SocketAddress from;
                while ((from = channel.receive(buf)) != null) {
                    buf.flip();
                    long now = System.currentTimeMillis();
                    datagrams.incrementAndGet();
                    bytes.addAndGet(buf.remaining());
                    lock.lock();
                    try {
                        table.setNow(now);
                        decoder.decode(buf, (InetSocketAddress) from, now, table);
                    } finally {
                        lock.unlock();
                    }
                    buf.clear();
                    if (now >= nextTick) {
                        tick(now);
                        nextTick = now + TICK_MS;
                    }
                }
                long now = System.currentTimeMillis();
                if (now >= nextTick) {
                    tick(now);
                    nextTick = now + TICK_MS;
                }
                selector.select(Math.max(1, nextTick - now));
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                onFailure.accept(e);
            }
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
        m.put("kernel_drops", channel.isOpen() ? KernelDrops.forLocalPort(localAddress().getPort()) : finalKernelDrops);
        return m;
    }

    /** Stops receiving and ends every live session (exported with reason forced end). */
    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            table.flushAll();
        } finally {
            lock.unlock();
        }
        // The per-socket drop count vanishes with the socket: keep the last reading.
        finalKernelDrops = KernelDrops.forLocalPort(localAddress().getPort());
        selector.close();
        channel.close();
    }
}
