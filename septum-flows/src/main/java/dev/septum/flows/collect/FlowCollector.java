package dev.septum.flows.collect;

import dev.septum.flows.DatagramDecoder;
import dev.septum.flows.decode.MessageDecoder;
import dev.septum.flows.mirror.GreDecoder;
import dev.septum.flows.session.SessionColumns;
import dev.septum.flows.session.SessionListener;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionTable;
import dev.septum.flows.session.SessionTimeouts;
import dev.septum.flows.store.LiveSessions;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The monitor node's inlet: socket → decoder → session table. Two inlets share it: flow records
 * ({@link #start}: IPFIX and NetFlow v9 over UDP, a {@link MessageDecoder} with its template cache) and
 * mirrored packets ({@link #startMirror}: GRE from a packet ring or a raw IP socket, a {@link GreDecoder} that meters each
 * packet into the same session table). One thread receives a batch of datagrams (recvmmsg where
 * available, see {@link DatagramSource}) and decodes it, so decoder state needs no locking; a lock per
 * batch lets readers take session snapshots and lets a timer thread run expiry once a second.
 *
 * @param <D> the decoder, for counters and tests that look inside it
 */
public final class FlowCollector<D extends DatagramDecoder> implements AutoCloseable {
    /**
     * @param maxDatagramBytes longer datagrams are counted as {@code truncated_datagrams}, never decoded
     * @param receiveWith which socket path; {@code AUTO} picks recvmmsg where it works
     */
    public record Config(InetSocketAddress listen, int receiveBufferBytes, SessionTimeouts timeouts,
                         int maxSessions, MessageDecoder.Limits limits, int maxDatagramBytes,
                         DatagramSource.Kind receiveWith) {
        /** The largest UDP payload (IPv4); an IPFIX message can be no longer either (16-bit length). */
        public static final int MAX_DATAGRAM = 65_535;

        public static Config defaults(InetSocketAddress listen) {
            return new Config(listen, 16 << 20, SessionTimeouts.EOS_DEFAULTS, 1_000_000, MessageDecoder.Limits.DEFAULT,
                    MAX_DATAGRAM, DatagramSource.Kind.AUTO);
        }

        public Config withReceiveWith(DatagramSource.Kind kind) {
            return new Config(listen, receiveBufferBytes, timeouts, maxSessions, limits, maxDatagramBytes, kind);
        }
    }

    private static final long TICK_MS = 1000;
    /** Sessions turned into rows per hold of the lock while a reader takes a snapshot. */
    private static final int SNAPSHOT_STEP = 1024;

    private final Config config;
    private final D decoder;
    private final SessionTable table;
    private final ReentrantLock lock = new ReentrantLock();
    /** The store snapshot's rows, refilled by each {@link #storeSnapshot}. */
    private final SessionColumns storeColumns = new SessionColumns();
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final DatagramSource source;
    private final Thread thread;
    private final Thread timer;
    private volatile boolean running = true;
    private volatile long finalKernelDrops = -1;
    private volatile Consumer<Throwable> onFailure = e -> { };

    private FlowCollector(Config config, D decoder, DatagramSource source, SessionListener listener) {
        this.config = config;
        this.decoder = decoder;
        this.table = new SessionTable(config.timeouts(), config.maxSessions(), listener);
        this.source = source;
        thread = Thread.ofPlatform().name("septum-collector").daemon(true).unstarted(this::loop);
        timer = Thread.ofPlatform().name("septum-expiry").daemon(true).unstarted(this::ticker);
    }

    /** Binds the UDP socket and starts receiving IPFIX and NetFlow v9. */
    public static FlowCollector<MessageDecoder> start(Config config, SessionListener listener) throws IOException {
        DatagramSource source = DatagramSource.open(config.listen(), config.receiveBufferBytes(), config.maxDatagramBytes(),
                config.receiveWith());
        return started(new FlowCollector<>(config, new MessageDecoder(config.limits()), source, listener));
    }

    /**
     * Receives GRE sent to {@code config.listen()}'s address (its port is not used) and starts metering
     * mirrored packets: a packet ring, or a raw IPv4 socket with {@code receiveWith} RECVMMSG (see
     * {@link DatagramSource#openGre}); CHANNEL is refused.
     */
    public static FlowCollector<GreDecoder> startMirror(Config config, SessionListener listener) throws IOException {
        if (!(config.listen().getAddress() instanceof Inet4Address v4)) {
            throw new IOException("the mirror intake receives GRE over IPv4; " + config.listen().getAddress()
                    + " is not an IPv4 address");
        }
        DatagramSource source = DatagramSource.openGre(v4, config.receiveBufferBytes(), config.maxDatagramBytes(),
                config.receiveWith());
        return started(new FlowCollector<>(config, new GreDecoder(), source, listener));
    }

    private static <D extends DatagramDecoder> FlowCollector<D> started(FlowCollector<D> c) {
        c.thread.start();
        c.timer.start();
        return c;
    }

    public void onFailure(Consumer<Throwable> handler) {
        this.onFailure = handler;
    }

    public InetSocketAddress localAddress() {
        return new InetSocketAddress(config.listen().getAddress(), source.localPort());
    }

    /** What the kernel granted for SO_RCVBUF (Linux doubles the request, capped by rmem_max). */
    public int receiveBufferBytes() {
        return source.receiveBufferBytes();
    }

    /** The socket path in use (recvmmsg or DatagramChannel, and why not recvmmsg). */
    public String receivePath() {
        return source.description();
    }

    private void loop() {
        try {
            while (running) {
                int n = source.receive();
                if (n > 0 && running) {
                    handle(n);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                onFailure.accept(e);
            }
        }
    }

    /**
     * One batch. A method of its own so the JIT compiles it normally: a never-ending loop body is
     * only ever compiled on-stack, late, and was seen running profiled (tier 3) code for seconds.
     */
    private void handle(int n) {
        long now = System.currentTimeMillis();
        long size = 0;
        lock.lock();
        try {
            table.setNow(now);
            for (int i = 0; i < n; i++) {
                ByteBuffer datagram = source.datagram(i);
                size += datagram.remaining();
                if (source.truncated(i)) {
                    // its tail is gone: decoding the head would read a wrong length as garbage
                    truncated.incrementAndGet();
                } else {
                    decoder.decode(datagram, source.sender(i), now, table);
                }
            }
        } finally {
            lock.unlock();
        }
        datagrams.addAndGet(n);
        bytes.addAndGet(size);
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

    /**
     * Live sessions, totals (or only what is not yet exported, for a store). Taken in steps of
     * {@value #SNAPSHOT_STEP} sessions, each under a short hold of the lock, so the receive loop waits
     * at most one step rather than for the whole table (100,000 rows took tens of milliseconds, long
     * enough for the socket buffer to overflow). The price: not one instant. Each row is consistent, a
     * session ended meanwhile is left out (its final row goes to the listener), one created meanwhile
     * shows in the next snapshot.
     */
    public List<SessionRow> snapshot(boolean sinceLastExport) {
        SessionTable.Snapshot steps;
        lock.lock();
        try {
            steps = table.snapshotInSteps(sinceLastExport);
        } finally {
            lock.unlock();
        }
        return inSteps(steps).rows();
    }

    /**
     * The snapshot a store flush reads: counters since the last interim export, of every live session
     * or only those changed since the previous store snapshot, as columns this collector reuses for
     * the next store snapshot (one store writer reads them, one flush at a time). {@code atCut} runs
     * under the first hold of the lock, the one that fixes which sessions the snapshot reads: a store
     * drains its queue of exported rows there, so every session that ended before the cut has its
     * final row in this flush and every one that ends after it in the next, whatever else happens to
     * its key meanwhile.
     */
    public LiveSessions.Read storeSnapshot(boolean changedOnly, Runnable atCut) {
        SessionTable.Snapshot steps;
        lock.lock();
        try {
            atCut.run();
            steps = table.storeSnapshotInSteps(changedOnly, storeColumns);
        } finally {
            lock.unlock();
        }
        inSteps(steps);
        return new LiveSessions.Read(storeColumns, steps.sessions(), steps.changed());
    }

    /** Takes the rest of a snapshot {@value #SNAPSHOT_STEP} sessions per hold of the lock. */
    private SessionTable.Snapshot inSteps(SessionTable.Snapshot steps) {
        boolean more = true;
        while (more) {
            lock.lock();
            try {
                more = steps.next(SNAPSHOT_STEP);
            } finally {
                lock.unlock();
            }
        }
        return steps;
    }

    public D decoder() {
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
        m.put("truncated_datagrams", truncated.get());
        m.putAll(decoder.countersByName());
        m.putAll(table.counters().asMap());
        long finalDrops = finalKernelDrops;
        m.put("kernel_drops", finalDrops >= 0 ? finalDrops : source.kernelDrops());
        return m;
    }

    /** Stops receiving (within about a quarter second) and ends every live session (exported with reason forced end). */
    @Override
    public void close() throws IOException {
        if (!running) {
            return;
        }
        // The per-socket drop count vanishes with the socket: keep the last reading.
        finalKernelDrops = source.kernelDrops();
        running = false;
        timer.interrupt();
        source.stopReceiving();
        try {
            thread.join(5_000);
            timer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            source.close(); // frees the receive buffers, so only once nothing can be writing them
        }
        lock.lock();
        try {
            table.flushAll();
        } finally {
            lock.unlock();
        }
    }
}
