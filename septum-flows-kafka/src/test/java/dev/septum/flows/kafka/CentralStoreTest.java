package dev.septum.flows.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.StoredSession;
import dev.septum.flows.store.TagFilter;
import dev.septum.flows.tag.SessionTags;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The central store on the test PostgreSQL (SEPTUM_TEST_PG_URL), in a schema of this run. */
class CentralStoreTest {
    private static final long DAY = 86_400_000L;
    private String baseUrl;
    private String schema;
    private CentralStore store;

    @BeforeEach
    void open() throws SQLException {
        baseUrl = System.getenv("SEPTUM_TEST_PG_URL");
        assertThat(baseUrl).as("SEPTUM_TEST_PG_URL must name the test PostgreSQL (.ci/run sets it)").isNotBlank();
        schema = "central_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        sql("CREATE SCHEMA " + schema);
        store = new CentralStore(baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        store.initialise();
        store.initialise(); // idempotent
    }

    @AfterEach
    void drop() throws SQLException {
        if (schema != null) {
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = new org.postgresql.Driver().connect(baseUrl, new Properties()); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static SessionUpdate update(String node, int clientPort, long first, long packets, EndReason reason, SessionTags tags) {
        SessionRow row = new SessionRow(0, 6, new Endpoint(IpAddr.parse("10.0.0.1"), clientPort),
                new Endpoint(IpAddr.parse("198.51.100.1"), 443), packets, packets * 100, 0x02, packets, packets * 1000, 0x12,
                SessionState.COMPLETE, first, first + 1000, DirectionEvidence.TCP_FLAGS, 1, reason);
        return new SessionUpdate(node, row, tags, first + 2000);
    }

    private static Map<Integer, CentralStore.OffsetRange> range(int partition, long first, long last) {
        return Map.of(partition, new CentralStore.OffsetRange(first, last));
    }

    @Test
    void updatesOfOneSessionSumIntoOneRowAndABatchAppliedAgainIsRefused() throws Exception {
        long first = 1_765_000_000_000L;
        List<SessionUpdate> batch = List.of(update("a", 40000, first, 3, EndReason.ACTIVE_TIMEOUT, SessionTags.NONE),
                update("a", 40000, first, 2, EndReason.END_OF_FLOW, SessionTags.NONE),
                update("b", 40000, first, 5, EndReason.END_OF_FLOW, SessionTags.NONE));
        assertThat(store.apply("t", batch, range(0, 0, 2))).isEqualTo(new CentralStore.Applied.Committed(2));
        // the same offsets again (a consumer that had not seen the commit): nothing written, told where to resume
        assertThat(store.apply("t", batch, range(0, 0, 2))).isEqualTo(new CentralStore.Applied.Behind(Map.of(0, 3L)));
        assertThat(store.apply("t", batch.subList(2, 3), range(0, 2, 2))).isInstanceOf(CentralStore.Applied.Behind.class);
        // a later update of session a, in a later batch
        assertThat(store.apply("t", List.of(update("a", 40000, first, 10, EndReason.IDLE_TIMEOUT, SessionTags.NONE)),
                range(0, 3, 3))).isEqualTo(new CentralStore.Applied.Committed(1));

        List<StoredSession> all = store.queryTagged(SessionQuery.ALL);
        assertThat(all).hasSize(2);
        assertThat(all).extracting(s -> s.row().clientPackets()).containsExactlyInAnyOrder(15L, 5L);
        assertThat(all).filteredOn(s -> s.row().clientPackets() == 15).singleElement()
                .satisfies(s -> assertThat(s.row().reason()).isEqualTo(EndReason.IDLE_TIMEOUT));
        assertThat(store.offsets("t", List.of(0, 1))).isEqualTo(Map.of(0, 4L));
    }

    @Test
    void tagFiltersAndRetentionByDayPartition() throws Exception {
        long today = System.currentTimeMillis();
        SessionTags web = new SessionTags(List.of("web01_web02"), List.of("appserver1"), List.of("appserver1-tcp"), "web-app",
                "web-to-appserver1", "web-to-appserver1", "forward", "v3");
        store.apply("t", List.of(update("a", 1, today, 1, EndReason.END_OF_FLOW, web),
                update("a", 2, today, 1, EndReason.END_OF_FLOW, SessionTags.NONE),
                update("a", 3, today - 10 * DAY, 1, EndReason.END_OF_FLOW, SessionTags.NONE)), range(0, 0, 2));
        SessionQuery byGroup = SessionQuery.ALL.withTags(new TagFilter(Optional.of("appserver1"), Optional.empty(),
                Optional.empty(), Optional.empty()));
        assertThat(store.queryTagged(byGroup)).singleElement().satisfies(s -> assertThat(s.tags()).isEqualTo(web));
        assertThat(store.queryTagged(SessionQuery.ALL.withTags(new TagFilter(Optional.empty(), Optional.of("web-to-appserver1"),
                Optional.empty(), Optional.empty())))).hasSize(1);

        assertThat(store.dropPartitionsBefore(today - 7 * DAY)).isEqualTo(1);
        assertThat(store.queryTagged(SessionQuery.ALL)).extracting(s -> s.row().client().port()).containsExactlyInAnyOrder(1, 2);
        // a partition dropped is made again when a session of that day comes
        store.apply("t", List.of(update("a", 4, today - 10 * DAY, 1, EndReason.END_OF_FLOW, SessionTags.NONE)), range(0, 3, 3));
        assertThat(store.queryTagged(SessionQuery.ALL)).hasSize(3);
    }
}
