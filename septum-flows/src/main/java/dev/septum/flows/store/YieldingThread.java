package dev.septum.flows.store;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * Gives the calling thread the lowest CPU share Linux has for an ordinary thread (nice 19), so that
 * work which can wait, such as a store flush, never takes the core a receive loop needs: on a
 * two-core machine a 100,000-session flush (about 150 ms of CPU, DuckDB running on the flushing thread)
 * got as much of the shared core as the receive thread, whose socket buffer then overflowed
 * (bench/RESULTS.md, fl6). Java's thread priorities do not reach Linux's scheduler without root; a
 * thread's nice value is its own on Linux, set through {@code setpriority(PRIO_PROCESS, tid, 19)}.
 * Elsewhere, or on a libc without {@code gettid}, the thread keeps its priority and says why.
 */
final class YieldingThread {
    /** The lowest priority an unprivileged thread can give itself; CFS then weighs it 15 against 1,024. */
    static final int NICE = 19;
    private static final int PRIO_PROCESS = 0;

    private YieldingThread() {
    }

    /** What a thread's priority became: lowered to nice 19, or the normal one and why. */
    record Priority(boolean lowered, String description) {
        static final Priority NOT_STARTED = new Priority(false, "not started");

        private static Priority normal(String why) {
            return new Priority(false, "normal priority (" + why + ")");
        }
    }

    /** Lowers the calling thread's priority; returns what happened, for the store's status. */
    static Priority lowerCallingThread() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).equals("linux")) {
            return Priority.normal("per-thread nice is Linux only");
        }
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> gettid = linker.defaultLookup().find("gettid");
        Optional<MemorySegment> setpriority = linker.defaultLookup().find("setpriority");
        if (gettid.isEmpty() || setpriority.isEmpty()) {
            return Priority.normal("libc has no gettid or setpriority");
        }
        MethodHandle tid = linker.downcallHandle(gettid.get(), FunctionDescriptor.of(JAVA_INT));
        MethodHandle set = linker.downcallHandle(setpriority.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        try {
            int rc = (int) set.invokeExact(PRIO_PROCESS, (int) tid.invokeExact(), NICE);
            return rc == 0 ? new Priority(true, "nice " + NICE) : Priority.normal("setpriority refused");
        } catch (Throwable e) {
            // a downcall only throws what the linker found wrong with it; the thread runs on as it was
            return Priority.normal(e.getMessage());
        }
    }
}
