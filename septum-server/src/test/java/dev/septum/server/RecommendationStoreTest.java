package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.db.Database;
import dev.septum.server.store.RecommendationStore;
import dev.septum.server.store.RecommendationStore.Status;
import dev.septum.server.store.RecommendationStore.StoredRun;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Policy Builder runs in the server's database, on SQLite and PostgreSQL: their life, the newest kept, a restart's leftovers. */
class RecommendationStoreTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRunIsQueuedRunsAndEndsDoneOrFailedAndOnlyTheNewestAreKept(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.of(kind); Database db = t.open(dataDir)) {
            RecommendationStore store = new RecommendationStore(db, "server-a/1");
            StoredRun run = store.add("alice", Optional.of(3L), Optional.empty(), 0, "version 3", "{\"budget\":0}", 3);
            assertThat(run.status()).isEqualTo(Status.QUEUED);
            assertThat(run.versionId()).contains(3L);
            assertThat(run.workspaceId()).isEmpty();
            store.progress(run.id(), Status.RUNNING, "step 2 of 4");
            assertThat(store.get(run.id()).orElseThrow().progress()).isEqualTo("step 2 of 4");
            store.done(run.id(), "done: 2 rules", 2, true, "{\"rules\":[]}");
            StoredRun done = store.get(run.id()).orElseThrow();
            assertThat(done.status()).isEqualTo(Status.DONE);
            assertThat(done.ruleCount()).contains(2);
            assertThat(done.holds()).contains(true);
            assertThat(done.result()).contains("{\"rules\":[]}");
            assertThat(done.finishedAt()).isPresent();
            store.progress(run.id(), Status.RUNNING, "late");
            assertThat(store.get(run.id()).orElseThrow().status()).as("a finished run stays finished").isEqualTo(Status.DONE);

            StoredRun failed = store.add("bob", Optional.empty(), Optional.of(7L), 4, "workspace w (7)", "{}", 3);
            store.failed(failed.id(), "failed", "{\"status\":400}");
            assertThat(store.get(failed.id()).orElseThrow().error()).contains("{\"status\":400}");
            assertThat(store.get(failed.id()).orElseThrow().revision()).isEqualTo(4);

            StoredRun waiting = store.add("alice", Optional.of(3L), Optional.empty(), 0, "version 3", "{}", 3);
            StoredRun newest = store.add("alice", Optional.of(3L), Optional.empty(), 0, "version 3", "{}", 3);
            assertThat(store.newest(10)).extracting(StoredRun::id).as("the oldest finished run beyond 3 is gone")
                    .containsExactly(newest.id(), waiting.id(), failed.id());
            assertThat(store.newest(10).getFirst().result()).as("lists leave the answers out").isEmpty();

            // at start: what was queued or running will not finish
            store.progress(waiting.id(), Status.RUNNING, "step 1 of 4");
            assertThat(store.markInterrupted("{\"status\":503}", Instant.now().minus(Duration.ofMinutes(1))))
                    .containsExactly(waiting.id(), newest.id());
            assertThat(List.of(store.get(waiting.id()).orElseThrow(), store.get(newest.id()).orElseThrow()))
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.FAILED));
            assertThat(store.markInterrupted("{}", Instant.now())).isEmpty();
        }
    }

    /**
     * Several servers on one PostgreSQL (HA): a starting server fails its own unfinished runs and
     * those whose server stopped renewing them, never a run a live server works on. On SQLite one
     * server owns the database, so every unfinished run is its own.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aStartingServerFailsOnlyRunsNoLiveServerWorksOn(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.of(kind); Database db = t.open(dataDir)) {
            RecommendationStore a = new RecommendationStore(db, "server-a/1");
            RecommendationStore b = new RecommendationStore(db, "server-b/2");
            StoredRun ofA = a.add("alice", Optional.of(3L), Optional.empty(), 0, "version 3", "{}", 50);
            a.progress(ofA.id(), Status.RUNNING, "step 1 of 4");
            StoredRun ofB = b.add("bob", Optional.of(3L), Optional.empty(), 0, "version 3", "{}", 50);
            Instant stale = Instant.now().minus(Duration.ofMinutes(1));

            List<Long> failed = b.markInterrupted("{}", stale);
            if (kind.equals("sqlite")) {
                assertThat(failed).as("one server: every unfinished run").containsExactly(ofA.id(), ofB.id());
                return;
            }
            assertThat(failed).as("server b restarting fails its own run, not a's live one").containsExactly(ofB.id());
            assertThat(a.get(ofA.id()).orElseThrow().status()).isEqualTo(Status.RUNNING);

            // server a dies: its heartbeat stops; once older than the cut-off its run fails
            a.heartbeat();
            Instant afterBeat = Instant.now().plusMillis(1);
            assertThat(b.markInterrupted("{}", stale)).as("a renewed within the stale time").isEmpty();
            assertThat(b.markInterrupted("{\"status\":503}", afterBeat)).containsExactly(ofA.id());
            StoredRun dead = b.get(ofA.id()).orElseThrow();
            assertThat(dead.status()).isEqualTo(Status.FAILED);
            assertThat(dead.error()).contains("{\"status\":503}");
            a.heartbeat();
            assertThat(a.get(ofA.id()).orElseThrow().status()).as("a heartbeat does not revive a failed run").isEqualTo(Status.FAILED);
        }
    }
}
