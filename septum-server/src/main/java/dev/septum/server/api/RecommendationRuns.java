package dev.septum.server.api;

import dev.septum.builder.recommend.Recommendation;
import dev.septum.server.store.RecommendationStore;
import dev.septum.server.store.RecommendationStore.Status;
import dev.septum.server.store.RecommendationStore.StoredRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy Builder runs: started on a request, worked on one at a time off the request threads, and
 * kept in the server's database ({@link RecommendationStore}) with their status, progress and
 * answer, so they are polled by id and a finished one outlives a restart. One per server, so a run
 * started in the browser can be read over the API and the other way round. Servers sharing one
 * PostgreSQL each renew their own unfinished runs every {@link #HEARTBEAT} and fail the others' that
 * nobody renewed for {@link #STALE} (their server died), never a run a live server works on.
 */
public final class RecommendationRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecommendationRuns.class);
    /** The newest runs kept; older finished ones are deleted when a run starts. */
    static final int KEPT = 50;
    /** A run holds up to a million sessions' classes and the verifier: one runs, at most this many wait. */
    static final int QUEUED = 4;
    /** A stored answer's JSON at most; a larger one fails the run with the fix to narrow it. */
    static final int MAX_RESULT_CHARS = 8 * 1024 * 1024;
    /** How often this server renews its unfinished runs and looks for runs whose server died. */
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** A run not renewed for this long has lost its server; several heartbeats, so a slow write is not a death. */
    static final Duration STALE = Duration.ofSeconds(60);
    private static final String INTERRUPTED = Json.write(new Failure(503, "",
            "the server working on this run stopped before it finished", "run it again"));

    /**
     * What a run read: a version, or a workspace at a revision.
     *
     * @param revision the workspace's revision when read (0 for a version)
     */
    public record Source(Optional<Long> version, Optional<Long> workspace, long revision, String label) {
    }

    /** Why a run failed, as an {@link ApiError} says it. */
    public record Failure(int status, String field, String problem, String fix) {
        static Failure of(ApiError e) {
            return new Failure(e.status(), e.field(), e.getMessage(), e.fix());
        }
    }

    /**
     * A run as stored; {@code recommendation} once done, {@code failure} once failed.
     *
     * @param request   the run's fields as its answer repeats them
     * @param ruleCount how many rules it proposes, once done
     * @param holds     whether its guarantees hold, once done
     */
    public record Run(long id, String createdBy, String createdAt, Optional<String> finishedAt, Status status, String progress,
                      Source source, Map<String, Object> request, Optional<Integer> ruleCount, Optional<Boolean> holds,
                      Optional<Recommendation> recommendation, Optional<Failure> failure) {
        public boolean finished() {
            return status == Status.DONE || status == Status.FAILED;
        }
    }

    final RecommendationStore store;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUED),
            Thread.ofPlatform().name("recommendation-run-", 0).daemon().factory(), new ThreadPoolExecutor.AbortPolicy());

    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("recommendation-heartbeat").daemon().factory());

    /** Runs that were queued or running when their server stopped fail now (or once stale): nothing will finish them. */
    public RecommendationRuns(RecommendationStore store) {
        this.store = store;
        failInterrupted();
        heartbeat.scheduleWithFixedDelay(this::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            store.heartbeat();
            failInterrupted();
        } catch (RuntimeException e) {
            // the database is away for a moment: the next beat tries again, and STALE spans several
            LOG.warn("recommendation runs: heartbeat failed: {}", e.getMessage());
        }
    }

    private void failInterrupted() {
        store.markInterrupted(INTERRUPTED, Instant.now().minus(STALE))
                .forEach(id -> LOG.warn("recommendation run {} was unfinished when its server stopped; it is marked failed", id));
    }

    /** Queues a run's work; false when the queue is full (the caller then fails the run at once). */
    boolean submit(Runnable work) {
        try {
            worker.execute(work);
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    List<StoredRun> newest() {
        return store.newest(KEPT);
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        worker.shutdownNow();
    }
}
