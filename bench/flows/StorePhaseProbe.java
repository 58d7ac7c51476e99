import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.FlowStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one flush that rewrites the whole live part costs the store, in CPU: FlowStore.write itself
 * (tagging, opening the file, deleting, appending, committing, closing) on 100,000 live rows like
 * the benchmark's (IPv4, untagged, every counter changed since the previous flush), 10 rounds after 2
 * warm-up ones. "heap allocated" is what the write allocated on the Java heap (the rows themselves are
 * made before it): garbage that brings the next young collection nearer. "thread" is the calling thread's CPU (Java and DuckDB's work on it), "process" adds
 * DuckDB's own threads, the JIT and GC. Run it with one build's classes, then another's, in the same
 * minutes: the figures are for comparing two builds on one machine, not absolute.
 * usage (after ./mvnw -B -q -pl septum-cli -am package -DskipTests):
 *   /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED -cp septum-cli/target/septum.jar bench/flows/StorePhaseProbe.java [ROWS]
 */
public class StorePhaseProbe {
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("phase");
        FlowStore store = new FlowStore(dir);
        store.initialise();
        long threadSum = 0;
        long processSum = 0;
        long allocatedSum = 0;
        int measured = 0;
        for (int round = 0; round < 12; round++) {
            List<SessionRow> live = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                live.add(new SessionRow(i % 4 + 1, 6, new Endpoint(IpAddr.v4(0x0A00_0000L + i), 32768 + i % 28000),
                        new Endpoint(IpAddr.v4(0x0AC8_0000L + i % 50), 443), round + 1, (round + 1) * 120L, 0x1B, round + 1,
                        (round + 1) * 900L, 0x1B, SessionState.COMPLETE, 1_700_000_000_000L + i, 1_700_000_001_000L + i + round,
                        DirectionEvidence.PORTS, round + 1, EndReason.LIVE));
            }
            long t0 = threads.getCurrentThreadCpuTime();
            long p0 = os.getProcessCpuTime();
            long a0 = threads.getCurrentThreadAllocatedBytes();
            store.write(List.of(), live, 1_700_000_002_000L + round, 0);
            long t1 = threads.getCurrentThreadCpuTime();
            long p1 = os.getProcessCpuTime();
            long a1 = threads.getCurrentThreadAllocatedBytes();
            if (round >= 2) {
                allocatedSum += a1 - a0;
                threadSum += t1 - t0;
                processSum += p1 - p0;
                measured++;
            }
            System.out.printf("round %d: thread %d ms, process %d ms, heap allocated %.1f MB%n", round, (t1 - t0) / 1_000_000,
                    (p1 - p0) / 1_000_000, (a1 - a0) / 1e6);
        }
        System.out.printf("rows %d, mean of %d rounds: thread %d ms, process %d ms, heap allocated %.1f MB per flush; file %.1f MB%n",
                rows, measured, threadSum / measured / 1_000_000, processSum / measured / 1_000_000, allocatedSum / measured / 1e6,
                Files.size(store.file()) / 1e6);
    }
}
