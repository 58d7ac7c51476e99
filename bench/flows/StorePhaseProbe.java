import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.sql.*;
import java.util.*;
import org.duckdb.*;

/**
 * What one whole flush of 100,000 live rows costs, phase by phase (open, delete, append, commit,
 * close), in process CPU: the statements FlowStore.write runs for a whole live part, on a file
 * FlowStore.initialise made, with rows of the store's 27 columns (tags empty, as without a policy).
 * "keep" keeps one connection open across flushes instead of opening the file for each.
 * usage (after ./mvnw -B -q -pl septum-flows -am package -DskipTests):
 *   CP=septum-flows/target/classes:septum-model/target/classes:$HOME/.m2/repository/org/duckdb/duckdb_jdbc/2.0.0.1/duckdb_jdbc-2.0.0.1.jar
 *   javac -cp $CP -d /tmp/probe bench/flows/StorePhaseProbe.java
 *   java --enable-native-access=ALL-UNNAMED -cp /tmp/probe:$CP StorePhaseProbe [keep]
 */
public class StorePhaseProbe {
    static com.sun.management.OperatingSystemMXBean bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    static long c() { return bean.getProcessCpuTime() / 1_000_000; }
    public static void main(String[] a) throws Exception {
        Path dir = Files.createTempDirectory("phase");
        dev.septum.flows.store.FlowStore store = new dev.septum.flows.store.FlowStore(dir);
        store.initialise(); // the store's own tables, so the probe writes what a flush writes
        String url = "jdbc:duckdb:" + store.file();
        boolean keep = a.length > 0 && a[0].equals("keep");
        Properties props = new Properties();
        Connection kept = keep ? DriverManager.getConnection(url, props) : null;
        for (int round = 0; round < 6; round++) {
            long t0 = c();
            Connection c = keep ? kept : DriverManager.getConnection(url, props);
            long t1 = c();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM live_sessions");
            }
            long t2 = c();
            try (DuckDBAppender ap = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "live_sessions")) {
                for (int i = 0; i < 100_000; i++) {
                    ap.beginRow().append((long) (i % 4 + 1)).append(6).append("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255)).append(32768 + i % 28000)
                      .append("10.200.0." + (i % 50)).append(443).append((long) round).append(round * 120L).append(0x1b)
                      .append((long) round).append(round * 900L).append(0x1b).append("complete").append(1_700_000_000_000L + i).append(1_700_000_001_000L + i)
                      .append("ports").append((long) round).append("live").append((long) round)
                      .append("").append("").append("").append("").append("").append("").append("").append("").endRow();
                }
            }
            long t3 = c();
            c.commit();
            long t4 = c();
            if (!keep) c.close();
            long t5 = c();
            System.out.printf("round %d cpu ms: open %d delete %d append %d commit %d close %d total %d%n", round, t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0);
        }
        System.out.println("file MB " + Files.size(store.file()) / 1e6);
    }
}
