package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.kafka.CentralStore;
import dev.septum.flows.kafka.SessionUpdate;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.tag.SessionTags;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A central flow store in a schema of its own on the test PostgreSQL (SEPTUM_TEST_PG_URL), holding
 * the given sessions as flows-ingest writes them from one monitor node; closing drops the schema.
 */
final class TestCentralStore implements AutoCloseable {
    private final String base;
    private final String schema;
    private final String url;

    private TestCentralStore(String base, String schema) {
        this.base = base;
        this.schema = schema;
        this.url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static TestCentralStore with(List<SessionRow> rows) throws SQLException {
        String base = System.getenv("SEPTUM_TEST_PG_URL");
        assertThat(base).as("SEPTUM_TEST_PG_URL must name the test PostgreSQL (.ci/run sets it)").isNotBlank();
        TestCentralStore t = new TestCentralStore(base, "central_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        sql(base, "CREATE SCHEMA " + t.schema);
        CentralStore central = new CentralStore(t.url);
        central.initialise();
        central.apply("sessions", rows.stream().map(r -> new SessionUpdate("monitor-1", r, SessionTags.NONE, r.lastMillis())).toList(),
                Map.of(0, new CentralStore.OffsetRange(0, rows.size() - 1)));
        return t;
    }

    /** The store's JDBC URL, as {@code --store} and {@code --sessions} take it. */
    String url() {
        return url;
    }

    @Override
    public void close() throws SQLException {
        sql(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection c = new org.postgresql.Driver().connect(url, new Properties()); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
