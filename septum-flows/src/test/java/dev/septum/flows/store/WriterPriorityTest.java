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
 * The store writer's DuckDB thread yields the CPU to the receive loop: the kernel's own view of the
 * threads ({@code /proc/self/task/TID/stat}, their nice values) says so, not only the writer. Linux only, like
 * the priority itself: elsewhere this test fails rather than pass without looking.
 */
class WriterPriorityTest {
    @TempDir
    Path dir;

    @Test
    void theDuckDbThreadRunsAtNice19AndTheSnapshotThreadDoesNot() throws Exception {
        FlowStore store = new FlowStore(dir, () -> SessionTagger.NONE);
        store.initialise();
        StoreWriter writer = new StoreWriter(store, LiveSessions.NONE, 3_600_000, 0, 16);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.threadPriority().equals("not started") && System.nanoTime() < deadline) {
                Thread.sleep(5); // the writer sets it first thing on its own thread
            }
            assertThat(writer.threadPriority()).isEqualTo("nice " + YieldingThread.NICE);
            // every writer's threads alike (another test's writer may not have ended yet)
            assertThat(niceOfThreadsNamed("septum-store-db")).isNotEmpty().containsOnly(YieldingThread.NICE);
            // the snapshot holds the table's lock, which the receive loop waits for: normal priority
            assertThat(niceOfThreadsNamed("septum-store")).isNotEmpty().containsOnly(0);
            writer.flushNow();
            assertThat(writer.flushes()).isEqualTo(1);
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
