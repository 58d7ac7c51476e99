package dev.septum.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When a long-running command ({@code collect}, {@code mirror-agent}) stops: Ctrl-C or SIGTERM (a
 * shutdown hook), the end of {@code --duration}, or its receive loop failing. The hook holds the JVM
 * until the command has {@link #close closed} (ended its sessions, printed its counters), at most
 * its grace time (20 s unless the command gives another), so SIGTERM loses nothing. A command that
 * ends with a non-zero {@link #status} after a signal exits with that status instead of SIGTERM's.
 */
final class StopSignal implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final long deadline;
    private final long graceSeconds;
    private volatile int status = ExitCodes.OK;
    private final Thread hook = new Thread(this::onSignal);

    /** @param durationSeconds stop after this long; 0 runs until a signal or {@link #stop()} */
    StopSignal(long durationSeconds) {
        this(durationSeconds, 20);
    }

    /** @param graceSeconds how long a signal waits for the command to {@link #close} */
    StopSignal(long durationSeconds, long graceSeconds) {
        this.graceSeconds = graceSeconds;
        deadline = durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private void onSignal() {
        stop.countDown();
        try {
            if (done.await(graceSeconds, TimeUnit.SECONDS) && status != ExitCodes.OK) {
                // the JVM is already exiting with SIGTERM's 143; only halt can still say what was lost
                Runtime.getRuntime().halt(status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** The exit status the command ends with; after a signal the process exits with it when not 0. */
    void status(int code) {
        status = code;
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
