import dev.septum.flows.IpAddr;
import dev.septum.flows.session.*;
import dev.septum.flows.store.FlowStore;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.util.*;

/**
 * The store's flush cost alone, no collector: 100,000 live rows on disk, then per round one flush that
 * rewrites them whole and one that writes N changed rows as a delta (FlowStore.FlushPlan wholeLive
 * false). CPU is the process's, so DuckDB's own threads count.
 * usage (after ./mvnw -B -q -pl septum-flows -am package -DskipTests):
 *   CP=septum-flows/target/classes:septum-model/target/classes:$HOME/.m2/repository/org/duckdb/duckdb_jdbc/2.0.0.1/duckdb_jdbc-2.0.0.1.jar
 *   javac -cp $CP -d /tmp/probe bench/flows/StoreDeltaProbe.java
 *   java --enable-native-access=ALL-UNNAMED -cp /tmp/probe:$CP StoreDeltaProbe 10000
 */
public class StoreDeltaProbe {
    static SessionRow row(int i, long packets) {
        return new SessionRow(i % 4 + 1, 6, new Endpoint(IpAddr.v4(0x0A000000L + i), 32768 + i % 28000),
                new Endpoint(IpAddr.v4(0x0AC80001L + i % 50), 443), packets, packets * 120, 0x1B, packets, packets * 900, 0x1B,
                SessionState.COMPLETE, 1_700_000_000_000L + i, 1_700_000_001_000L + i, DirectionEvidence.PORTS, packets, EndReason.LIVE);
    }
    public static void main(String[] a) throws Exception {
        int n = 100_000, changed = Integer.parseInt(a[0]);
        Path dir = Files.createTempDirectory("probe");
        FlowStore store = new FlowStore(dir);
        store.initialise();
        List<SessionRow> all = new ArrayList<>();
        for (int i = 0; i < n; i++) all.add(row(i, 1));
        var bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        store.write(List.of(), all, 1, 0);
        for (int round = 0; round < 6; round++) {
            List<SessionRow> whole = new ArrayList<>();
            for (int i = 0; i < n; i++) whole.add(row(i, round + 2));
            long c0 = bean.getProcessCpuTime(), t0 = System.nanoTime();
            store.write(new FlowStore.FlushPlan(dev.septum.flows.tag.SessionTagger.NONE, true), List.of(), whole, 2, 0);
            long c1 = bean.getProcessCpuTime(), t1 = System.nanoTime();
            List<SessionRow> delta = new ArrayList<>();
            for (int i = 0; i < changed; i++) delta.add(row((i * 7919) % n, round + 100));
            store.write(new FlowStore.FlushPlan(dev.septum.flows.tag.SessionTagger.NONE, false), List.of(), delta, 3, 0);
            long c2 = bean.getProcessCpuTime(), t2 = System.nanoTime();
            System.out.printf("round %d whole %d rows: cpu %.0f ms wall %.0f ms | delta %d rows: cpu %.0f ms wall %.0f ms%n", round, n,
                    (c1 - c0) / 1e6, (t1 - t0) / 1e6, changed, (c2 - c1) / 1e6, (t2 - t1) / 1e6);
        }
    }
}
