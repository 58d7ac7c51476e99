package dev.septum.model;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Work done on a second platform thread while the caller does its own share, then joined: a
 * compile runs on two cores where one would wait. The work's exception reaches the caller as the
 * work's own, as if it had run on the caller's thread.
 */
public final class SecondThread {
    private SecondThread() {
    }

    /** Starts {@code work} on a new daemon thread (the JVM may exit without waiting for it). */
    public static <T> CompletableFuture<T> start(String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name(name).daemon().start(() -> complete(result, work));
        return result;
    }

    /** Completes {@code result} with what {@code work} gives, or with what it throws. */
    public static <T> void complete(CompletableFuture<T> result, Supplier<T> work) {
        try {
            result.complete(work.get());
        } catch (Throwable e) {
            result.completeExceptionally(e);
        }
    }

    /** The result; the work's own exception when it failed. */
    public static <T> T join(CompletableFuture<T> result) {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
