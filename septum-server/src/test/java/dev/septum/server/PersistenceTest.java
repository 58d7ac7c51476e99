package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.server.db.Database;
import dev.septum.server.store.AuditLog;
import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.ChangeControlStore;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.Role;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.User;
import dev.septum.server.store.UserStore;
import dev.septum.server.store.Workspace;
import dev.septum.server.store.WorkspaceStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stores on SQLite and on PostgreSQL: the same tests, the same answers. */
class PersistenceTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void versionsKeepFilesExactlyAndHistoryLinear(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.of(kind); Database db = t.open(dataDir)) {
            PolicyStore policies = new PolicyStore(db);
            assertThat(db.read(PolicyStore::head)).isEmpty();
            Map<String, String> files = SeedLab.files();
            PolicyVersion v1 = approved(db, "alice", "seed", files);
            assertThat(policies.files(v1.id())).isEqualTo(files);
            PolicyVersion v2 = approved(db, "alice", "again", Map.of("a.yaml", "# unicode: \u00e9\u4e2d \t tabs\r\n"));
            assertThat(v2.parentId()).contains(v1.id());
            assertThat(policies.files(v2.id())).containsExactly(Map.entry("a.yaml", "# unicode: \u00e9\u4e2d \t tabs\r\n"));
            assertThat(db.read(PolicyStore::head).map(PolicyVersion::id)).contains(v2.id());
            // a second child of v1 would fork history: the schema refuses it
            assertThatThrownBy(() -> db.write(h -> h.createUpdate("INSERT INTO policy_versions (parent_id, created_by, created_at, message) "
                    + "VALUES (:p, 'x', 'now', 'fork')").bind("p", v1.id()).execute())).isInstanceOf(RuntimeException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void targetsKeepEveryFieldIncludingSudo(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.of(kind); Database db = t.open(dataDir)) {
            TargetStore targets = new TargetStore(db);
            TargetStore.Target ssh = new TargetStore.Target("fw1", "nftables-ssh", "septum@fw1:22", "inet", "", "SEPTUM_SSH_FW1",
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl", "key", true);
            targets.put("alice", ssh);
            targets.put("alice", TargetStore.Target.nftables("r1", "sxl-router", "inet"));
            assertThat(targets.get("fw1")).contains(ssh);
            assertThat(targets.get("r1").orElseThrow().sudo()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void workspaceEditsNeedTheCurrentRevision(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.of(kind); Database db = t.open(dataDir)) {
            approved(db, "alice", "seed", SeedLab.files());
            WorkspaceStore workspaces = new WorkspaceStore(db);
            Workspace w = workspaces.create("alice", "w");
            assertThat(workspaces.files(w.id())).isEqualTo(SeedLab.files());
            assertThat(workspaces.writeFile("alice", w.id(), 0, "new.yaml", Optional.of("groups: []\n"))).contains(1L);
            assertThat(workspaces.writeFile("bob", w.id(), 0, "new.yaml", Optional.of("lost"))).isEmpty();
            assertThat(workspaces.files(w.id()).get("new.yaml")).isEqualTo("groups: []\n");
            assertThat(workspaces.writeFile("alice", w.id(), 1, "new.yaml", Optional.empty())).contains(2L);
            assertThat(workspaces.files(w.id())).isEqualTo(SeedLab.files());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void auditLogIsAppendOnly(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.of(kind); Database db = t.open(dataDir)) {
            AuditLog audit = new AuditLog(db);
            audit.append("alice", "test", "object", "detail");
            assertThatThrownBy(() -> db.write(h -> h.createUpdate("UPDATE audit_log SET actor = 'mallory'").execute()))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> db.write(h -> h.createUpdate("DELETE FROM audit_log").execute()))
                    .hasMessageContaining("append-only");
            assertThat(audit.recent(10)).extracting(AuditLog.Entry::actor).containsExactly("alice");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void passwordsAndTokensAreStoredAsHashes(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.of(kind); Database db = t.open(dataDir)) {
            UserStore users = new UserStore(db);
            User alice = users.create("admin", "alice", Role.EDITOR, "correct horse battery".toCharArray());
            assertThat(users.authenticate("alice", "correct horse battery".toCharArray())).contains(alice);
            assertThat(users.authenticate("alice", "wrong".toCharArray())).isEmpty();
            assertThat(users.authenticate("nobody", "x".toCharArray())).isEmpty();
            String token = users.createToken("alice", alice, "ci", java.time.Duration.ofDays(1));
            assertThat(users.byToken(token).map(UserStore.Credential::user)).contains(alice);
            String stored = db.read(h -> h.createQuery("SELECT password_hash FROM users").mapTo(String.class).one()
                    + h.createQuery("SELECT token_hash FROM api_tokens").mapTo(String.class).one());
            assertThat(stored).startsWith("pbkdf2-sha256$").doesNotContain("correct horse", token);
            // a refused statement's message (which reaches the log) carries no bound values
            assertThatThrownBy(() -> users.create("admin", "alice", Role.VIEWER, "another password".toCharArray()))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pbkdf2"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRunningChangeControlIsClaimedOncePerLeaderAndADeposedLeadersWritesChangeNothing(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.of(kind); Database db = t.open(dataDir)) {
            approved(db, "alice", "seed", SeedLab.files());
            Workspace w = new WorkspaceStore(db).create("alice", "w");
            ChangeControlStore ccs = new ChangeControlStore(db);
            long id = db.write(h -> ChangeControlStore.create(h, "alice", w, Optional.of(1L), Optional.empty(), 1, "m", List.of("sw1", "sw2", "sw3")));
            assertThat(ccs.transition("bob", id, ChangeControl.State.PENDING_APPROVAL, ChangeControl.State.APPROVED, "")).isTrue();
            assertThat(ccs.transition("bob", id, ChangeControl.State.PENDING_APPROVAL, ChangeControl.State.APPROVED, "")).isFalse();
            assertThat(ccs.transition("bob", id, ChangeControl.State.APPROVED, ChangeControl.State.RUNNING, "")).isTrue();
            leaderEpoch(db, 1);
            assertThat(ccs.unclaimed(1)).containsExactly(id);
            ChangeControlStore.Claim first = ccs.claim(id, 1).orElseThrow();
            assertThat(first.takenOver()).isFalse();
            assertThat(ccs.claim(id, 1)).as("claimed once per epoch").isEmpty();
            assertThat(ccs.claim(id, 2)).as("epoch 2 does not lead yet").isEmpty();
            ccs.deviceState("bob", first, "sw1", ChangeControl.DeviceState.SUCCEEDED, "ok");
            ccs.deviceState("bob", first, "sw2", ChangeControl.DeviceState.RUNNING, "deploying");
            // the leader of epoch 1 stops leading here; the next one takes the change control over
            leaderEpoch(db, 2);
            assertThat(ccs.unclaimed(2)).containsExactly(id);
            ChangeControlStore.Claim second = ccs.claim(id, 2).orElseThrow();
            assertThat(second.takenOver()).isTrue();
            assertThatThrownBy(() -> ccs.deviceState("bob", first, "sw2", ChangeControl.DeviceState.SUCCEEDED, "late"))
                    .isInstanceOf(ChangeControlStore.ClaimLost.class);
            assertThatThrownBy(() -> ccs.finish("bob", first, ChangeControl.State.FAILED, "late"))
                    .isInstanceOf(ChangeControlStore.ClaimLost.class);
            ChangeControl cc = ccs.get(id).orElseThrow();
            assertThat(cc.state()).isEqualTo(ChangeControl.State.RUNNING);
            assertThat(cc.devices()).extracting(ChangeControl.DeviceResult::state).containsExactly(
                    ChangeControl.DeviceState.SUCCEEDED, ChangeControl.DeviceState.RUNNING, ChangeControl.DeviceState.PENDING);
            ccs.finish("bob", second, ChangeControl.State.FAILED, "stopped");
            assertThat(ccs.get(id).orElseThrow().state()).isEqualTo(ChangeControl.State.FAILED);
            assertThat(ccs.unclaimed(3)).isEmpty();
            assertThatThrownBy(() -> ccs.finish("bob", second, ChangeControl.State.FAILED, "twice"))
                    .isInstanceOf(ChangeControlStore.ClaimLost.class);
        }
    }

    private static void leaderEpoch(Database db, long epoch) {
        db.write(h -> h.createUpdate("UPDATE cluster_leader SET epoch = :e WHERE id = 1").bind("e", epoch).execute());
    }

    /** Stores a version as approved, as the first import does. */
    private static PolicyVersion approved(Database db, String actor, String message, Map<String, String> files) {
        return db.write(h -> PolicyStore.append(h, actor, message, files, PolicyVersion.State.APPROVED));
    }
}
