package dev.septum.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.TestDatabase;
import dev.septum.server.db.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two candidates on one PostgreSQL schema: one leads; when PostgreSQL ends the leader's lock
 * session (as it does when the process dies or its connection drops), the leader no longer leads
 * under its epoch, and the next leader takes the next one.
 */
class LeadershipTest {
    @TempDir
    Path dataDir;

    @Test
    void losingTheLockSessionLosesLeadershipAndTheNextLeaderTakesTheNextEpoch() throws Exception {
        try (TestDatabase t = TestDatabase.of("postgresql"); Database db = t.open(dataDir);
             Leadership a = Leadership.of(db, t.jdbcUrl(), "a"); Leadership b = Leadership.of(db, t.jdbcUrl(), "b")) {
            a.start();
            b.start();
            assertThat(a.isLeader()).isTrue();
            assertThat(b.isLeader()).isFalse();
            long first = a.epoch().orElseThrow();
            assertThat(b.status().leaderNode()).isEqualTo("a");
            assertThat(b.status().role()).isEqualTo("follower");

            String schema = db.read(h -> h.createQuery("SELECT current_schema()").mapTo(String.class).one());
            int ended = db.read(h -> h.createQuery("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
                            + "AND granted AND classid = 1936027764 AND objsubid = 2 "
                            + "AND objid::text::bigint = (hashtext(:schema)::bigint + 4294967296) % 4294967296")
                    .bind("schema", schema).mapTo(Integer.class).one());
            assertThat(ended).isEqualTo(1);

            // whichever candidate tries first after that leads next, under the next epoch; a never again under its old one
            await("a new leader", () -> b.status().epoch() == first + 1);
            assertThat(a.leadsUnder(first)).as("a run of a's stops before its next device").isFalse();
            await("a notices", () -> a.epoch().orElse(0) != first);
            Leadership next = b.status().leaderNode().equals("a") ? a : b;
            await(next.node() + " leads", () -> next.leadsUnder(first + 1));
            assertThat(next.epoch().orElseThrow()).isEqualTo(first + 1);
        }
    }

    /** Reads {@code condition} every 50 ms; fails after 30 s (a bound, not a measure). */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
