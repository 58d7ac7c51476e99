// Where reading a million stored sessions goes (bench/RESULTS.md, Policy Builder): FlowStore.query
// as the builder called it, FlowStore.queryClasses as it calls it now, and the same grouping without the
// eight tag columns and the order.
// Run: java --enable-native-access=ALL-UNNAMED -Xmx2g -cp bench/target/benchmarks.jar bench/builder/QueryProbe.java [DIR]
import dev.septum.bench.RecommendBenchmark;
import dev.septum.builder.tag.PolicySessionTagger;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.SessionQuery;
import java.nio.file.*;
import java.sql.*;
import java.util.*;

public class QueryProbe {
    static final SessionQuery ALL = new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1_000_000);
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a.length > 0 ? a[0] : "/tmp/septum-query-probe");
        FlowStore store = new FlowStore(dir);
        if (!Files.exists(store.file())) {
            store.initialise();
            RecommendBenchmark.write(store);
        }
        int[] starts = PolicySessionTagger.of(PolicyBuild.of(PolicySource.files("bench", RecommendBenchmark.POLICY)), Optional.empty(), "probe")
                .orElseThrow().clientPortClassStarts();
        for (int k = 0; k < 2; k++) {
            long t = System.nanoTime();
            int n = store.query(ALL).size();
            System.out.printf("FlowStore.query: %d rows %.1f s%n", n, (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            n = store.queryClasses(ALL, starts).size();
            System.out.printf("FlowStore.queryClasses: %d classes %.1f s%n", n, (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + store.file(), props()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT vrf, protocol, client_addr, client_port, server_addr, server_port, sum(client_packets), sum(client_octets), bit_or(client_tcp_flags), sum(server_packets), sum(server_octets), bit_or(server_tcp_flags), min(first_ms), max(last_ms), any_value(evidence), sum(records) FROM (SELECT * FROM sessions UNION ALL SELECT * FROM live_sessions) GROUP BY vrf, protocol, client_addr, client_port, server_addr, server_port, first_ms")) {
                int r = 0; while (rs.next()) { rs.getString(3); rs.getString(5); r++; }
                System.out.printf("grouped, no tags, no order: %d rows %.1f s%n", r, (System.nanoTime() - t) / 1e9);
            }
            t = System.nanoTime();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + store.file(), props()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT vrf FROM sessions UNION ALL SELECT vrf FROM live_sessions GROUP BY ALL)")) {
                rs.next();
                System.out.printf("count only: %.1f s%n", (System.nanoTime() - t) / 1e9);
            }
        }
    }
    static Properties props() { Properties p = new Properties(); p.setProperty("duckdb.read_only", "true"); return p; }
}
