import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * What one whole rewrite of 100,000 live rows (live_rows' columns, IPv4, untagged) costs DuckDB by
 * phase, in the calling thread's CPU, the file reached three ways: "open" a new DuckDB instance of the
 * file per flush (FlowStore before fl7), "attach" the file to an in-memory instance kept from flush to
 * flush (FlushInstance), "attach-drop" the same with DROP and CREATE instead of DELETE. Mean of 10
 * flushes after 4. Figures compare the modes on one machine in the same minutes, not absolute.
 * usage: /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED \
 *          -cp septum-cli/target/septum.jar bench/flows/FlushInstanceProbe.java open|attach|attach-drop
 */
public class FlushInstanceProbe {
    static final java.sql.Driver DRIVER = new DuckDBDriver();
    static final String COLUMNS = "vrf BIGINT, protocol INTEGER, client_v4 BIGINT, client_v6 VARCHAR, client_port INTEGER,"
            + " server_v4 BIGINT, server_v6 VARCHAR, server_port INTEGER, client_packets BIGINT, client_octets BIGINT,"
            + " client_tcp_flags INTEGER, server_packets BIGINT, server_octets BIGINT, server_tcp_flags INTEGER, state UTINYINT,"
            + " first_ms BIGINT, last_ms BIGINT, evidence UTINYINT, records BIGINT, written_ms BIGINT, tag_set INTEGER";
    static final String[] PHASES = {"open/attach", "delete", "append", "commit", "close/detach"};

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int rows = 100_000;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Path file = Files.createTempDirectory("flush-instance").resolve("flows.duckdb");
        try (Connection c = DRIVER.connect("jdbc:duckdb:" + file, new Properties()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE live_rows (" + COLUMNS + ")");
        }
        Connection kept = mode.equals("open") ? null : DRIVER.connect("jdbc:duckdb:", new Properties());
        if (kept != null) {
            settings(kept);
        }
        long[] sums = new long[PHASES.length];
        int measured = 0;
        for (int round = 0; round < 14; round++) {
            long[] t = new long[PHASES.length + 1];
            t[0] = cpu.getCurrentThreadCpuTime();
            Connection c = kept;
            if (c == null) {
                c = DRIVER.connect("jdbc:duckdb:" + file, new Properties());
                settings(c);
            } else {
                try (Statement st = c.createStatement()) {
                    st.execute("ATTACH '" + file + "' AS flows");
                    st.execute("USE flows");
                }
            }
            t[1] = cpu.getCurrentThreadCpuTime();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                if (mode.equals("attach-drop")) {
                    st.execute("DROP TABLE live_rows");
                    st.execute("CREATE TABLE live_rows (" + COLUMNS + ")");
                } else {
                    st.execute("DELETE FROM live_rows");
                }
            }
            t[2] = cpu.getCurrentThreadCpuTime();
            try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "live_rows")) {
                for (int i = 0; i < rows; i++) {
                    a.beginRow().append(0L).append(17).append(0x0A00_0000L + i).appendNull().append(40000 + i % 1000)
                            .append(0x0A10_0000L + i).appendNull().append(53).append(100L + round + i % 7).append(6000L + round + i)
                            .append(0).append(90L + round).append(5000L + round + i).append(0).append((byte) 0)
                            .append(1_700_000_000_000L + i).append(1_700_000_001_000L + round * 1000 + i % 1000).append((byte) 3)
                            .append(20L * round).append(1_700_000_002_000L + round).appendNull().endRow();
                }
            }
            t[3] = cpu.getCurrentThreadCpuTime();
            c.commit();
            c.setAutoCommit(true);
            t[4] = cpu.getCurrentThreadCpuTime();
            if (kept == null) {
                c.close();
            } else {
                try (Statement st = c.createStatement()) {
                    st.execute("USE memory");
                    st.execute("DETACH flows");
                }
            }
            t[5] = cpu.getCurrentThreadCpuTime();
            if (round >= 4) {
                for (int p = 0; p < PHASES.length; p++) {
                    sums[p] += t[p + 1] - t[p];
                }
                measured++;
            }
        }
        try (Connection r = DRIVER.connect("jdbc:duckdb:" + file, new Properties()); Statement st = r.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM live_rows")) {
            rs.next();
            if (rs.getLong(1) != rows) {
                throw new IllegalStateException("the file holds " + rs.getLong(1) + " rows, not " + rows);
            }
        }
        StringBuilder out = new StringBuilder(mode + ", thread CPU ms per flush:");
        long total = 0;
        for (int p = 0; p < PHASES.length; p++) {
            out.append(String.format(" %s %.1f", PHASES[p], sums[p] / 1e6 / measured));
            total += sums[p];
        }
        System.out.println(out + String.format(", total %.1f (mean of %d)", total / 1e6 / measured, measured));
    }

    /** As FlushInstance sets its instance. */
    static void settings(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET threads = 1");
            st.execute("SET checkpoint_threshold = '1KB'");
        }
    }
}
