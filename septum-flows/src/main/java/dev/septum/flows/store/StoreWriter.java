package dev.septum.flows.store;

import dev.septum.flows.session.SessionColumns;
import dev.septum.flows.session.SessionListener;
import dev.septum.flows.session.SessionRow;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves exported session rows off the receive thread into the {@link FlowStore}: the table hands rows
 * to a bounded queue (never blocking the socket), a writer thread flushes them with the live snapshot
 * every interval. The live snapshot should not stall the receive loop for long: the collector's
 * snapshot takes the table's lock in short steps. Each flush writes only the live sessions changed
 * since the previous one, unless the store asks for the whole live part (see
 * {@link FlowStore#planFlush}). A full queue drops rows and counts them; the store never sees half a flush.
 *
 * <p>The interval is the least time between flushes: the writer waits at least {@value #PACE} times as
 * long as its previous flush took of its two threads' CPU (snapshot and write), so flushing takes at
 * most a fortieth of a core however large the live part grows (a 100,000-session table costs about 150 ms a flush, which every 2 s
 * took the receive thread's share of a two-core machine; a twentieth still cost the collector 0.025-0.03 µs of its
 * 0.2-0.3 µs per record at 2 M records/s, bench/RESULTS.md "Live rows packed"), but no longer than {@value #MAX_INTERVALS}
 * intervals; small tables are flushed at the interval, and so are the first {@value #COLD_FLUSHES}.
 * The DuckDB work of a flush runs on a thread of its own at the lowest priority ({@link YieldingThread}):
 * when it shares a core with the receive loop, the flush waits, not the socket. The snapshot stays on
 * the writer's thread at normal priority, because it holds the table's lock in steps: a thread the
 * scheduler holds back while it holds that lock would hold the receive loop back with it.
 */
public final class StoreWriter implements SessionListener, AutoCloseable {
    private final FlowStore store;
    private final LiveSessions live;
    private final long flushMs;
    private final long retentionMs;
    private final BlockingQueue<SessionRow> queue;
    private final List<SessionRow> carried = new ArrayList<>();
    private final int capacity;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong liveWritten = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastError = "";
    private volatile YieldingThread.Priority threadPriority = YieldingThread.Priority.NOT_STARTED;
    private volatile boolean running = true;
    /**
     * More than this share of the live sessions changed in the previous flush: this one writes the
     * live part whole. Under a steady load that updates every session between flushes (the benchmark:
     * 100,000 sessions, 20 records each per second) matching the changed rows against the stored ones
     * cost more CPU than replacing them all.
     */
    static final double WHOLE_ABOVE_CHANGED = 0.5;
    /** Below this many live sessions either way costs little, and the delta leaves unchanged rows alone. */
    static final int WHOLE_MIN_SESSIONS = 4096;
    private boolean mostlyChanged;
    /** The writer waits at least this many times a flush's CPU time before the next: at most 1/40 of a core. */
    public static final int PACE = 39;
    /** ... but never longer than this many intervals (a first flush runs cold, and a live row should not age without end). */
    public static final int MAX_INTERVALS = 10;
    /** Flushes that follow these ones at the interval, unpaced. */
    static final int COLD_FLUSHES = 3;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private final Thread thread;
    /** Runs {@link FlowStore#write}, one flush at a time, at nice 19. */
    private final ExecutorService db = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("septum-store-db").daemon(true).unstarted(r));

    public StoreWriter(FlowStore store, LiveSessions live, long flushMs, long retentionMs, int queueSize) {
        this.store = store;
        this.live = live;
        this.flushMs = flushMs;
        this.retentionMs = retentionMs;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.capacity = queueSize;
        // a flush can wait, the receive loop cannot: on a shared core the scheduler should favour it
        db.execute(() -> threadPriority = YieldingThread.lowerCallingThread());
        this.thread = Thread.ofPlatform().name("septum-store").daemon(true).start(this::loop);
    }

    @Override
    public void exported(SessionRow row) {
        if (!queue.offer(row)) {
            dropped.incrementAndGet();
        }
    }

    private void loop() {
        long waitMs = flushMs;
        while (running) {
            try {
                TimeUnit.MILLISECONDS.sleep(waitMs);
            } catch (InterruptedException e) {
                break;
            }
            long before = CPU.getCurrentThreadCpuTime();
            long dbCpu = flush(true);
            long took = CPU.getCurrentThreadCpuTime() - before + dbCpu;
            // the first flushes run cold (interpreted code, DuckDB's library loading): about twice a warm
            // flush's CPU, which would hold the next one back for many intervals
            waitMs = flushes.get() > COLD_FLUSHES ? waitAfter(flushMs, took) : flushMs;
        }
    }

    /** How long the writer waits after a flush that took {@code flushCpuNanos} of its two threads' CPU. */
    static long waitAfter(long flushMs, long flushCpuNanos) {
        return Math.clamp(TimeUnit.NANOSECONDS.toMillis(flushCpuNanos) * PACE, flushMs, flushMs * MAX_INTERVALS);
    }

    /** One flush now, as the timer would: for tests, which then need no clock. */
    void flushNow() {
        flush(true);
    }

    /** @return the CPU time the write took on the DuckDB thread, nanoseconds */
    private synchronized long flush(boolean withLive) {
        List<SessionRow> batch = new ArrayList<>(carried);
        carried.clear();
        FlowStore.FlushPlan plan = store.planFlush();
        if (mostlyChanged) {
            // replacing every row is cheaper than matching most of them one by one
            plan = plan.asWhole();
        }
        SessionColumns liveRows;
        if (withLive) {
            // The queue is drained at the snapshot's cut, under the table's lock: a session that ended
            // before it has its final row here and is not in the snapshot, one that ends after it has
            // its final row in the next flush, so no flush counts a session twice and the next flush's
            // final row cannot remove the live row of a new session with the same key.
            LiveSessions.Read read = live.read(!plan.wholeLive(), () -> queue.drainTo(batch));
            liveRows = read.rows();
            mostlyChanged = read.sessions() >= WHOLE_MIN_SESSIONS && read.changed() > read.sessions() * WHOLE_ABOVE_CHANGED;
        } else {
            // closing: the table has ended every session, so nothing stays live
            queue.drainTo(batch);
            liveRows = new SessionColumns();
            plan = plan.asWhole();
        }
        FlowStore.FlushPlan writePlan = plan;
        List<SessionRow> exported = batch;
        SessionColumns liveWrite = liveRows;
        try {
            Written done = onDbThread(() -> {
                long before = CPU.getCurrentThreadCpuTime();
                FlowStore.Flushed f = store.write(writePlan, exported, liveWrite, System.currentTimeMillis(), retentionMs);
                return new Written(f, CPU.getCurrentThreadCpuTime() - before);
            });
            written.addAndGet(done.flushed().exportedRows());
            liveWritten.addAndGet(done.flushed().liveRows());
            flushes.incrementAndGet();
            return done.cpuNanos();
        } catch (java.sql.SQLException | RuntimeException e) {
            // Keep the rows for the next flush (bounded like the queue) rather than lose them to a
            // reader that held the file a moment too long. The live changes read are not kept: the
            // store has the next flush rewrite the live part whole.
            failures.incrementAndGet();
            lastError = e.getMessage();
            int keep = Math.min(batch.size(), capacity);
            carried.addAll(batch.subList(batch.size() - keep, batch.size()));
            dropped.addAndGet(batch.size() - keep);
            return 0;
        }
    }

    private record Written(FlowStore.Flushed flushed, long cpuNanos) {
    }

    /**
     * Runs a write on the DuckDB thread and waits for it, interrupts or not: the rows are handed over,
     * so returning early would leave them neither written nor kept. An interrupt is kept for the caller.
     */
    private Written onDbThread(Callable<Written> write) throws java.sql.SQLException {
        Future<Written> done = db.submit(write);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case java.sql.SQLException sql -> throw sql;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException(e.getCause());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Flushes committed so far. */
    public long flushes() {
        return flushes.get();
    }

    public long written() {
        return written.get();
    }

    /** Live rows written, whole or changed: an unchanged session costs none after the first flush. */
    public long liveWritten() {
        return liveWritten.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long failures() {
        return failures.get();
    }

    public String lastError() {
        return lastError;
    }

    /** The DuckDB thread's scheduling priority, e.g. "nice 19", or why it kept the normal one. */
    public String threadPriority() {
        return threadPriority.description();
    }

    /** Whether the DuckDB thread runs below the receive loop's priority, so a flush waits for it. */
    public boolean writesYield() {
        return threadPriority.lowered();
    }

    /** Stops the timer and writes what is queued; call after the collector has flushed its table. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush(false);
        if (!carried.isEmpty()) {
            flush(false); // one more try for rows a busy file refused
        }
        dropped.addAndGet(carried.size());
        carried.clear();
        db.shutdown();
    }
}
