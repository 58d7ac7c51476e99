package dev.septum.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When a long-running command ({@code collect}, {@code mirror-agent}) stops: Ctrl-C or SIGTERM (a
 * shutdown hook), the end of {@code --duration}, or its receive loop failing. The hook holds the JVM
 * until the command has {@link #close closed} (ended its sessions, printed its counters), at most
 * 20 s, so SIGTERM loses nothing.
 */
final class StopSignal implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final long deadline;
    private final Thread hook = new Thread(() -> {
        stop.countDown();
        try {
            done.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });

    /** @param durationSeconds stop after this long; 0 runs until a signal or {@link #stop()} */
    StopSignal(long durationSeconds) {
        deadline = durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Stops now (a failed receive loop). */
    void stop() {
        stop.countDown();
    }

    /**
     * Waits up to {@code ms} (less when the duration ends sooner).
     *
     * @return true once the command should stop
     */
    boolean await(long ms) throws InterruptedException {
        long left = deadline == Long.MAX_VALUE ? ms : Math.min(ms, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        return stop.await(Math.max(1, left), TimeUnit.MILLISECONDS) || System.nanoTime() >= deadline;
    }

    /** The command has finished its output: releases the shutdown hook, or removes it when no signal came. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running and has been released above
        }
    }
}
