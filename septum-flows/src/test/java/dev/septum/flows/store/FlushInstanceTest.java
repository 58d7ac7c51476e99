package dev.septum.flows.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.SessionRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flushes go through an in-memory DuckDB instance with the file attached for each: between flushes
 * the file is free for any reader, and a flush that fails half-way leaves nothing attached or half
 * written for the next one.
 */
class FlushInstanceTest {
    @TempDir
    Path dir;

    Connection open(boolean readOnly) throws SQLException {
        Properties p = new Properties();
        if (readOnly) {
            p.setProperty("duckdb.read_only", "true");
        }
        return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(FlowStore.FILE).toAbsolutePath(), p);
    }

    @Test
    void theFileIsFreeBetweenFlushesAndAFailedFlushLeavesItFreeAndUnchanged() throws Exception {
        FlowStore store = new FlowStore(dir);
        store.initialise();
        SessionRow ended = FlowStoreTagsTest.row("10.1.0.1", 22, 1000, EndReason.IDLE_TIMEOUT, 3);
        SessionRow live = FlowStoreTagsTest.row("10.1.0.2", 443, 2000, EndReason.LIVE, 4);
        store.write(List.of(ended), List.of(live), 10_000, 0);
        // a reader of this process opens the file at once (no retry): the flush detached it
        try (Connection c = open(true)) {
            assertThat(c.isValid(1)).isTrue();
        }

        // another writer removes the live part's table: the next flush fails inside its transaction
        try (Connection c = open(false); Statement st = c.createStatement()) {
            st.execute("DROP VIEW " + LiveRows.VIEW);
            st.execute("DROP TABLE " + LiveRows.TABLE);
        }
        SessionRow later = FlowStoreTagsTest.row("10.1.0.3", 80, 3000, EndReason.IDLE_TIMEOUT, 5);
        assertThatThrownBy(() -> store.write(List.of(later), List.of(live), 20_000, 0)).isInstanceOf(SQLException.class);
        try (Connection c = open(true); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM sessions")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the failed flush's exported row was rolled back").isEqualTo(1);
        }

        // the store made whole again, the next flush writes through a new instance
        store.initialise();
        store.write(List.of(later), List.of(live), 30_000, 0);
        assertThat(store.query(SessionQuery.ALL)).extracting(r -> r.clientAddr().toString())
                .containsExactlyInAnyOrder("10.1.0.1", "10.1.0.2", "10.1.0.3");
    }
}
