package dev.septum.lab;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code on a fresh platform thread that has joined a named network namespace (setns(2)
 * through the foreign-function API). Sockets opened there live in that namespace for good, so
 * the lab serves every host's listeners from one JVM instead of one process per host and port.
 * The thread ends after the call; nothing else in the JVM changes namespace. {@code septum lab}
 * opens its monitor node's sockets this way too.
 */
public final class NetnsThreads {
    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private NetnsThreads() {
    }

    public static <T> T callIn(String namespace, Callable<T> body) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // a platform thread, never a virtual one: a virtual thread may hop between carrier threads
        Thread thread = Thread.ofPlatform().name("netns-" + namespace).start(() -> {
            try {
                enter(namespace);
                result.set(body.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in namespace " + namespace, e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("in network namespace " + namespace + ": " + failure.get().getMessage(),
                    failure.get() instanceof ExecutionException e ? e.getCause() : failure.get());
        }
        return result.get();
    }

    private static void enter(String namespace) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom("/run/netns/" + namespace);
            int fd = (int) OPEN.invokeExact(path, O_RDONLY, 0);
            if (fd < 0) {
                throw new IllegalStateException("cannot open /run/netns/" + namespace + " (is the lab up?)");
            }
            int rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) CLOSE.invokeExact(fd);
            if (rc != 0) {
                throw new IllegalStateException("setns into " + namespace + " failed (needs root)");
            }
        }
    }
}
