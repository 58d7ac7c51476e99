package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.export.IpfixExporter;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, flows beyond one machine, with real parts only: a KRaft Kafka broker of its own, three
 * {@code septum collect --kafka} processes each receiving IPFIX over loopback, {@code septum
 * flows-ingest} writing into PostgreSQL (SEPTUM_TEST_PG_URL, a schema of this run), killed with
 * SIGKILL mid-stream and restarted, and {@code septum sessions --store} reading every session once.
 */
class FlowsOverKafkaTest {
    private static final int NODES = 3;
    private static final int SESSIONS_PER_NODE = 400;
    private static final int TOTAL = NODES * SESSIONS_PER_NODE;
    private static final Pattern RECEIVING = Pattern.compile("receiving on \\S*:(\\d+)");

    private String baseUrl;
    private String schema;
    private String storeUrl;

    @BeforeEach
    void schema() throws SQLException {
        baseUrl = System.getenv("SEPTUM_TEST_PG_URL");
        assertThat(baseUrl).as("SEPTUM_TEST_PG_URL must name the test PostgreSQL (.ci/run sets it): the central store "
                + "test cannot run without it").isNotBlank();
        schema = "kafka_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        sql(baseUrl, "CREATE SCHEMA " + schema);
        storeUrl = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            sql(baseUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void threeCollectorsFeedOneStoreThroughKafkaAndAKilledIngestLosesAndDoublesNothing() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            String topic = "sessions-" + ThreadLocalRandom.current().nextInt(1 << 20);
            kafka.createTopic(topic, 6);
            List<ServeProcess> collectors = new ArrayList<>();
            try {
                for (int n = 1; n <= NODES; n++) {
                    collectors.add(ServeProcess.command(Map.of(), "collect", "--listen", "127.0.0.1:0", "--kafka", kafka.bootstrap(),
                            "--topic", topic, "--node", "monitor-" + n, "--stats", "1"));
                }
                for (int n = 1; n <= NODES; n++) {
                    ServeProcess c = collectors.get(n - 1);
                    int port = Integer.parseInt(c.awaitLine(RECEIVING).group(1));
                    try (IpfixExporter exporter = IpfixExporter.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), n)) {
                        for (int i = 0; i < SESSIONS_PER_NODE; i++) {
                            exporter.exported(session(n, i));
                        }
                    }
                    c.awaitLine(Pattern.compile("records=" + SESSIONS_PER_NODE + " "));
                }
                for (ServeProcess c : collectors) {
                    // SIGTERM ends every live session and publishes it before the counters are printed
                    assertThat(c.terminate()).as("collect stops on SIGTERM").isTrue();
                    c.awaitLine(Pattern.compile("\"kafka_acked\" : " + SESSIONS_PER_NODE + ","));
                    c.awaitLine(Pattern.compile("\"kafka_dropped\" : 0\\b"));
                    c.awaitLine(Pattern.compile("\"kafka_unacked\" : 0\\b"));
                    assertThat(c.exitValue()).as("every update acknowledged: SIGTERM's own status").isEqualTo(143);
                }
            } finally {
                for (ServeProcess c : collectors) {
                    c.close();
                }
            }

            String[] ingest = {"flows-ingest", "--kafka", kafka.bootstrap(), "--topic", topic, "--group", "ingest-" + schema,
                "--member", "ingest-1", "--store", storeUrl, "--batch", "10"};
            long atKill;
            try (ServeProcess first = ServeProcess.command(Map.of(), ingest)) {
                first.awaitLine(Pattern.compile("consuming " + Pattern.quote(topic)));
                awaitCount(count -> count > 0, "the first ingest committing a batch");
                assertThat(first.kill()).as("kill -9 of the ingest").isTrue();
                atKill = count();
            }
            assertThat(atKill).as("the ingest was killed mid-stream").isBetween(1L, TOTAL - 1L);

            try (ServeProcess second = ServeProcess.command(Map.of(), ingest)) {
                awaitCount(count -> count == TOTAL, "the restarted ingest writing every session");
                assertThat(second.terminate()).as("flows-ingest stops on SIGTERM").isTrue();
                // exactly the updates the killed one had not committed: none applied twice, none skipped
                second.awaitLine(Pattern.compile("\"updates_applied\" : " + (TOTAL - atKill) + ","));
            }
        }

        CliRun raw = CliRun.of("sessions", "--store", storeUrl, "--raw", "--output", "csv");
        assertThat(raw.code()).as(raw.err()).isZero();
        List<String> lines = raw.out().lines().skip(1).toList();
        assertThat(lines).hasSize(TOTAL);
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            String[] f = line.split(",");
            assertThat(seen.add(f[2] + ":" + f[3])).as("one line per session: " + line).isTrue();
            int node = Integer.parseInt(f[2].split("\\.")[1]);
            int i = Integer.parseInt(f[3]) - 20_000;
            SessionRow sent = session(node, i);
            assertThat(Long.parseLong(f[7])).as("client packets of " + line + ", summed once").isEqualTo(sent.clientPackets());
            assertThat(Long.parseLong(f[10])).as("server packets of " + line).isEqualTo(sent.serverPackets());
        }
        CliRun summary = CliRun.of("sessions", "--store", storeUrl, "--output", "json");
        assertThat(summary.code()).as(summary.err()).isZero();
        long sessions = DiagnosticPrinter.JSON.readTree(summary.out()).path("sessions").valueStream()
                .mapToLong(s -> s.path("sessions").asLong()).sum();
        assertThat(sessions).isEqualTo(TOTAL);
    }

    @Test
    void aCollectorStoppedAfterItsBrokerDiedCountsWhatWasNotAcknowledgedAndExitsNonZero() throws Exception {
        int sessions = 50;
        ServeProcess collector = null;
        try {
            try (KafkaBroker kafka = KafkaBroker.start()) {
                String topic = "sessions-" + ThreadLocalRandom.current().nextInt(1 << 20);
                kafka.createTopic(topic, 1);
                collector = ServeProcess.command(Map.of(), "collect", "--listen", "127.0.0.1:0", "--kafka", kafka.bootstrap(),
                        "--topic", topic, "--node", "monitor-1", "--stats", "1", "--stop-timeout", "3");
                int port = Integer.parseInt(collector.awaitLine(RECEIVING).group(1));
                try (IpfixExporter exporter = IpfixExporter.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1)) {
                    for (int i = 0; i < sessions; i++) {
                        exporter.exported(session(1, i));
                    }
                }
                // every session is live in the collector's table: nothing has been published yet
                collector.awaitLine(Pattern.compile("records=" + sessions + " "));
            } // the broker is killed here
            assertThat(collector.terminate()).as("collect stops on SIGTERM within its --stop-timeout").isTrue();
            // what it says on stderr comes before the counters
            collector.awaitLine(Pattern.compile(sessions + " not acknowledged within --stop-timeout 3 s: they are lost"));
            collector.awaitLine(Pattern.compile("\"kafka_updates\" : " + sessions + ","));
            collector.awaitLine(Pattern.compile("\"kafka_acked\" : 0,"));
            collector.awaitLine(Pattern.compile("\"kafka_unacked\" : " + sessions + "\\b"));
            assertThat(collector.exitValue()).as("the exit status says updates were lost").isEqualTo(ExitCodes.IO);
        } finally {
            if (collector != null) {
                collector.close();
            }
        }
    }

    @Test
    void misusedOptionsAreUsageErrorsThatNameTheFix() {
        CliRun noStore = CliRun.of("collect", "--kafka", "127.0.0.1:9", "--no-store");
        assertThat(noStore.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noStore.err()).contains("--kafka publishes the sessions for the central store; it cannot go with --no-store");
        CliRun topicAlone = CliRun.of("collect", "--topic", "t", "--no-store");
        assertThat(topicAlone.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(topicAlone.err()).contains("give --kafka BROKERS");
        CliRun noTime = CliRun.of("collect", "--kafka", "127.0.0.1:9", "--stop-timeout", "0");
        assertThat(noTime.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noTime.err()).contains("--stop-timeout must be at least 1 second");
        CliRun badNode = CliRun.of("collect", "--kafka", "127.0.0.1:9", "--node", "a node");
        assertThat(badNode.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badNode.err()).contains("--node 'a node' is not a name");
        CliRun notPostgres = CliRun.of("flows-ingest", "--kafka", "127.0.0.1:9", "--store", "jdbc:mysql://db/flows?password=secret");
        assertThat(notPostgres.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(notPostgres.err()).contains("is not a PostgreSQL JDBC URL").doesNotContain("secret");
        CliRun both = CliRun.of("sessions", "--store", storeUrl, "--data-dir", "somewhere");
        assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("--store reads the central store; it cannot go with --data-dir");
        CliRun empty = CliRun.of("sessions", "--store", storeUrl);
        assertThat(empty.code()).as("a store flows-ingest has not made yet").isEqualTo(ExitCodes.IO);
        assertThat(empty.err()).contains("cannot read jdbc:postgresql://").doesNotContain("password=");
    }

    /** Session {@code i} of monitor node {@code node}: client 10.NODE.x.y, its own port, counters from i. */
    private static SessionRow session(int node, int i) {
        long now = System.currentTimeMillis();
        return new SessionRow(0, 6, new Endpoint(IpAddr.parse("10." + node + "." + (i / 200) + "." + (1 + i % 200)), 20_000 + i),
                new Endpoint(IpAddr.parse("198.51.100.10"), 443), 1 + i % 9, 60L * (1 + i % 9), 0x1a, 1 + i % 5, 1400L * (1 + i % 5), 0x1a,
                SessionState.COMPLETE, now - 5000, now - 1000, DirectionEvidence.TCP_FLAGS, 1, EndReason.IDLE_TIMEOUT);
    }

    private long count() throws SQLException {
        try (Connection c = new org.postgresql.Driver().connect(storeUrl, new Properties()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM flow_sessions")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the ingest has not created its tables yet
            }
            throw e;
        }
    }

    private void awaitCount(java.util.function.LongPredicate done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = -1;
        while (System.nanoTime() < deadline) {
            last = count();
            if (done.test(last)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + what + " within 60 s; sessions stored: " + last);
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection c = new org.postgresql.Driver().connect(url, new Properties()); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
