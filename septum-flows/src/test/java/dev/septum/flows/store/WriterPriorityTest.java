package dev.septum.flows.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.tag.SessionTagger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store writer's thread yields the CPU to the receive loop: the kernel's own view of the thread
 * ({@code /proc/self/task/TID/stat}, its nice value) says so, not only the writer. Linux only, like
 * the priority itself: elsewhere this test fails rather than pass without looking.
 */
class WriterPriorityTest {
    @TempDir
    Path dir;

    @Test
    void theWriterThreadRunsAtNice19() throws Exception {
        FlowStore store = new FlowStore(dir, () -> SessionTagger.NONE);
        store.initialise();
        StoreWriter writer = new StoreWriter(store, LiveSessions.NONE, 3_600_000, 0, 16);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.threadPriority().equals("not started") && System.nanoTime() < deadline) {
                Thread.sleep(5); // the writer sets it first thing on its own thread
            }
            assertThat(writer.threadPriority()).isEqualTo("nice " + YieldingThread.NICE);
            assertThat(niceOfThreadsNamed("septum-store")).containsExactly(YieldingThread.NICE);
            // only that thread: the test's own (the receive loop's stand-in) keeps its priority
            assertThat(niceOfThreadsNamed(Thread.currentThread().getName().substring(0, Math.min(15,
                    Thread.currentThread().getName().length())))).doesNotContain(YieldingThread.NICE);
        } finally {
            writer.close();
        }
    }

    /** Field 19 of each matching thread's stat line (after the name in parentheses, field 17 of the rest). */
    static List<Integer> niceOfThreadsNamed(String name) throws IOException {
        List<Integer> nice = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                if (!Files.readString(t.resolve("comm")).strip().equals(name)) {
                    continue;
                }
                String stat = Files.readString(t.resolve("stat"));
                String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                nice.add(Integer.parseInt(rest[16]));
            }
        }
        return nice;
    }
}
