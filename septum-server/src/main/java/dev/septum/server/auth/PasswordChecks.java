package dev.septum.server.auth;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Password hashing off the request threads, on a small pool with a short queue: a flood of logins
 * can use at most {@code threads} cores, so every other request keeps its latency. When the queue
 * is full the check is not done at all (empty answer); the caller answers 429.
 */
public final class PasswordChecks implements AutoCloseable {
    private final ThreadPoolExecutor pool;

    public PasswordChecks(int threads, int queue) {
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                Thread.ofPlatform().name("password-check-", 0).daemon().factory(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** The check's answer, or empty when the pool is saturated. */
    public <T> Optional<T> run(Callable<T> check) {
        Future<T> answer;
        try {
            answer = pool.submit(check);
        } catch (RejectedExecutionException busy) {
            return Optional.empty();
        }
        try {
            return Optional.of(answer.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            return Optional.empty();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
