// A million stored sessions to a proposal, as the CLI and the server run it (bench/RESULTS.md, Policy
// Builder), timed by wall clock and by the process's CPU time (every thread: DuckDB's, the collector's,
// the JIT's): on a machine shared with other builds the CPU time moves much less than the wall time, so
// two builds are compared by running this with each jar in turn on the same store.
// Run: java --enable-native-access=ALL-UNNAMED -Xmx500m -cp bench/target/benchmarks.jar bench/builder/CpuProbe.java [DIR] [RUNS]
import dev.septum.bench.RecommendBenchmark;
import dev.septum.builder.recommend.Recommendation;
import dev.septum.builder.recommend.RecommendRequest;
import dev.septum.builder.recommend.Recommender;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.SessionQuery;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.util.*;

public class CpuProbe {
    static final SessionQuery ALL = new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1_000_000);
    static final RecommendRequest REQUEST = new RecommendRequest(List.of("app", "tier"), List.of("env"), 0,
            RecommendRequest.DEFAULT_MIN_PRECISION, RecommendRequest.DEFAULT_PORT_SLACK, new RecommendRequest.Selection.All(),
            new RecommendRequest.Placement.NewPolicy("recommended"), Optional.empty());

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a.length > 0 ? a[0] : "/tmp/septum-cpu-probe");
        int runs = a.length > 1 ? Integer.parseInt(a[1]) : 8;
        FlowStore store = new FlowStore(dir);
        if (!Files.exists(store.file())) {
            store.initialise();
            RecommendBenchmark.write(store);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            long t = System.nanoTime();
            long c = os.getProcessCpuTime();
            Recommendation r = Recommender.recommend(RecommendBenchmark.POLICY, "bench", store, ALL, REQUEST);
            double w = (System.nanoTime() - t) / 1e6;
            double u = (os.getProcessCpuTime() - c) / 1e6;
            if (!r.guarantees().hold()) {
                throw new IllegalStateException("guarantees fail: " + r.guarantees().problems());
            }
            System.out.printf("run %d: %d rules, %d sessions, wall %.0f ms, process CPU %.0f ms%n", k + 1, r.rules().size(),
                    r.totals().sessionsRead(), w, u);
            if (k >= 2) {
                wall.add(w);
                cpu.add(u);
            }
        }
        Collections.sort(wall);
        Collections.sort(cpu);
        System.out.printf("after 2 warm-up runs: median wall %.0f ms (min %.0f), median process CPU %.0f ms (min %.0f)%n",
                wall.get(wall.size() / 2), wall.getFirst(), cpu.get(cpu.size() / 2), cpu.getFirst());
    }
}
