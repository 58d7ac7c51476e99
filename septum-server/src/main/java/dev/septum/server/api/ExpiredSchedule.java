package dev.septum.server.api;

import dev.septum.server.workflow.GroupRefresh;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the expired rules' removal workspace on a schedule, as {@code POST /api/rules/expired/workspace}
 * does on request, by {@link GroupRefresh#ACTOR}: the same workspace, never opened twice on one
 * version, and never a removal by itself (it waits for review and approval). Like the counter
 * poller it runs on the leader only, when several servers share one database.
 */
public final class ExpiredSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredSchedule.class);
    private final Optional<ScheduledExecutorService> scheduler;

    private ExpiredSchedule(Optional<ScheduledExecutorService> scheduler) {
        this.scheduler = scheduler;
    }

    /** Every {@code interval}, the first time one interval after the start; zero: never (only on request). */
    public static ExpiredSchedule start(Services s, Duration interval) {
        if (interval.isZero()) {
            return new ExpiredSchedule(Optional.empty());
        }
        ExpiredRoutes removal = new ExpiredRoutes(s);
        ScheduledExecutorService one = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("expired-rules")
                .daemon(true).factory());
        one.scheduleWithFixedDelay(() -> tick(s, removal), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new ExpiredSchedule(Optional.of(one));
    }

    private static void tick(Services s, ExpiredRoutes removal) {
        if (!s.cluster().isLeader() || s.policies().current().isEmpty()) {
            return;
        }
        try {
            ExpiredRoutes.Removal done = removal.open(GroupRefresh.SYSTEM);
            done.workspace().filter(w -> done.opened()).ifPresent(w -> LOG.info("expired rules: opened workspace {} ('{}') for review",
                    w.id(), w.name()));
        } catch (RuntimeException e) {
            // the next tick tries again; one failed check must not end the schedule
            LOG.warn("scheduled check for expired rules failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.ifPresent(ScheduledExecutorService::shutdownNow);
    }
}
