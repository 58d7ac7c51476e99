package dev.septum.server.store;

import dev.septum.server.db.Database;
import dev.septum.server.store.ChangeControl.DeviceResult;
import dev.septum.server.store.ChangeControl.DeviceState;
import dev.septum.server.store.ChangeControl.State;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Change controls and their per-device results. Every state change is its own committed
 * transaction, written before and after each device step, so what the database says is what
 * happened even when the process dies in between.
 */
public final class ChangeControlStore {
    private static final String COLUMNS = "id, workspace_id, base_version_id, version_id, state, submitted_by, approved_by, run_by, "
            + "created_at, updated_at, message, running_version_id, approved_hash";
    private static final String DEVICE_COLUMNS = "device, stage, position, state, message, updated_at";

    private final Database db;

    public ChangeControlStore(Database db) {
        this.db = db;
    }

    /** Creates a change control for a submitted workspace, inside the submit's transaction. */
    public static long create(Handle h, String actor, Workspace workspace, Optional<Long> mergedOnto, Optional<Long> running, long versionId,
                              String message, List<String> devices) {
        String at = Clock.now();
        long id = h.createQuery("INSERT INTO change_controls (workspace_id, base_version_id, version_id, state, submitted_by, "
                        + "created_at, updated_at, message, running_version_id) "
                        + "VALUES (:ws, :base, :v, 'pending-approval', :by, :at, :at, :msg, :running) RETURNING id")
                .bind("ws", workspace.id()).bind("base", mergedOnto.orElse(null)).bind("v", versionId)
                .bind("by", actor).bind("at", at).bind("msg", message).bind("running", running.orElse(null)).mapTo(Long.class).one();
        var insert = h.prepareBatch("INSERT INTO device_results (change_control_id, device, stage, position, state, message, updated_at) "
                + "VALUES (:cc, :device, :stage, :pos, 'pending', '', :at)");
        for (int i = 0; i < devices.size(); i++) {
            insert.bind("cc", id).bind("device", devices.get(i)).bind("stage", i == 0 ? 1 : 2).bind("pos", i).bind("at", at).add();
        }
        if (!devices.isEmpty()) {
            insert.execute();
        }
        WorkspaceStore.markSubmitted(h, workspace.id());
        AuditLog.append(h, actor, "change-control.create", "change-control " + id,
                "workspace " + workspace.name() + ", version " + versionId + ", devices " + String.join(" ", devices));
        return id;
    }

    public Optional<ChangeControl> get(long id) {
        return db.read(h -> get(h, id));
    }

    /** One page of change controls after {@code afterId}, oldest first: two queries, whatever the page's size. */
    public List<ChangeControl> page(long afterId, int limit) {
        return db.read(h -> {
            List<ChangeControl> rows = h.createQuery("SELECT " + COLUMNS + " FROM change_controls WHERE id > :after ORDER BY id LIMIT :limit")
                    .bind("after", afterId).bind("limit", limit).map((rs, ctx) -> changeControl(rs, List.of())).list();
            if (rows.isEmpty()) {
                return rows;
            }
            java.util.Map<Long, List<DeviceResult>> devices = new java.util.HashMap<>();
            h.createQuery("SELECT change_control_id, " + DEVICE_COLUMNS + " FROM device_results "
                            + "WHERE change_control_id BETWEEN :first AND :last ORDER BY change_control_id, position")
                    .bind("first", rows.getFirst().id()).bind("last", rows.getLast().id())
                    .map((rs, ctx) -> java.util.Map.entry(rs.getLong("change_control_id"), deviceResult(rs)))
                    .forEach(e -> devices.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
            return rows.stream().map(cc -> withDevices(cc, devices.getOrDefault(cc.id(), List.of()))).toList();
        });
    }

    /** The newest {@code limit} change controls, newest first. */
    public List<ChangeControl> newest(int limit) {
        return db.read(h -> h.createQuery("SELECT id FROM change_controls ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit).mapTo(Long.class).list()
                .stream().map(id -> get(h, id).orElseThrow()).toList());
    }

    /** How many change controls are in each state. */
    public java.util.Map<State, Long> countByState() {
        return db.read(h -> {
            java.util.Map<State, Long> counts = new java.util.EnumMap<>(State.class);
            h.createQuery("SELECT state, COUNT(*) AS n FROM change_controls GROUP BY state")
                    .map((rs, ctx) -> java.util.Map.entry(State.parse(rs.getString("state")), rs.getLong("n")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        });
    }

    /** The change controls deploying now. */
    public List<ChangeControl> running() {
        return db.read(h -> h.createQuery("SELECT id FROM change_controls WHERE state = 'running' ORDER BY id").mapTo(Long.class).list()
                .stream().map(id -> get(h, id).orElseThrow()).toList());
    }

    /** The change control of a version, when a submit made it. */
    public static Optional<Long> ofVersion(Handle h, long versionId) {
        return h.createQuery("SELECT id FROM change_controls WHERE version_id = :v").bind("v", versionId).mapTo(Long.class).findOne();
    }

    public static Optional<ChangeControl> get(Handle h, long id) {
        List<DeviceResult> devices = h.createQuery("SELECT " + DEVICE_COLUMNS + " FROM device_results "
                        + "WHERE change_control_id = :cc ORDER BY position").bind("cc", id)
                .map((rs, ctx) -> deviceResult(rs)).list();
        return h.createQuery("SELECT " + COLUMNS + " FROM change_controls WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> changeControl(rs, devices)).findOne();
    }

    private static DeviceResult deviceResult(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new DeviceResult(rs.getString("device"), rs.getInt("stage"), rs.getInt("position"),
                DeviceState.parse(rs.getString("state")), rs.getString("message"), rs.getString("updated_at"));
    }

    private static ChangeControl changeControl(java.sql.ResultSet rs, List<DeviceResult> devices) throws java.sql.SQLException {
        long base = rs.getLong("base_version_id");
        Optional<Long> baseId = rs.wasNull() ? Optional.empty() : Optional.of(base);
        long running = rs.getLong("running_version_id");
        Optional<Long> runningId = rs.wasNull() ? Optional.empty() : Optional.of(running);
        return new ChangeControl(rs.getLong("id"), rs.getLong("workspace_id"), baseId, rs.getLong("version_id"),
                State.parse(rs.getString("state")), rs.getString("submitted_by"),
                Optional.ofNullable(rs.getString("approved_by")), Optional.ofNullable(rs.getString("run_by")),
                rs.getString("created_at"), rs.getString("updated_at"), rs.getString("message"), devices, runningId,
                Optional.ofNullable(rs.getString("approved_hash")));
    }

    private static ChangeControl withDevices(ChangeControl c, List<DeviceResult> devices) {
        return new ChangeControl(c.id(), c.workspaceId(), c.baseVersionId(), c.versionId(), c.state(), c.submittedBy(), c.approvedBy(),
                c.runBy(), c.createdAt(), c.updatedAt(), c.message(), devices, c.runningVersionId(), c.approvedHash());
    }

    /** Moves the change control from {@code from} to {@code to}; false when it was not in {@code from} (someone else moved it). */
    public boolean transition(String actor, long id, State from, State to, String detail) {
        return db.write(h -> transition(h, actor, id, from, to, detail));
    }

    /** As {@link #transition(String, long, State, State, String)}, inside the caller's transaction. */
    public static boolean transition(Handle h, String actor, long id, State from, State to, String detail) {
        String column = switch (to) {
            case APPROVED -> ", approved_by = :actor";
            case RUNNING -> ", run_by = :actor";
            default -> "";
        };
        int moved = h.createUpdate("UPDATE change_controls SET state = :to, updated_at = :at" + column
                        + " WHERE id = :id AND state = :from")
                .bind("to", to.key()).bind("at", Clock.now()).bind("actor", actor).bind("id", id).bind("from", from.key())
                .execute();
        if (moved == 1) {
            AuditLog.append(h, actor, "change-control." + to.key(), "change-control " + id, detail);
        }
        return moved == 1;
    }

    /** Records which build the approver approved, inside the approval's transaction. */
    public static void approvedHash(Handle h, long id, String hash) {
        h.createUpdate("UPDATE change_controls SET approved_hash = :hash WHERE id = :id").bind("hash", hash).bind("id", id).execute();
    }

    /**
     * A leader's hold on one running change control: the epoch it claimed it under, and whether a
     * leader of an earlier epoch had started it (then this run takes over an interrupted one).
     */
    public record Claim(long id, long epoch, boolean takenOver) {
    }

    /** Thrown by a fenced write when a newer leader has claimed the change control: the run must stop. */
    public static final class ClaimLost extends RuntimeException {
        public ClaimLost(Claim claim) {
            super("change control " + claim.id() + " is no longer claimed by epoch " + claim.epoch());
        }
    }

    /** Running change controls no leader of {@code epoch} has claimed: asked to run, or left by an earlier leader. */
    public List<Long> unclaimed(long epoch) {
        return db.read(h -> h.createQuery("SELECT id FROM change_controls WHERE state = 'running' "
                + "AND (leader_epoch IS NULL OR leader_epoch < :e) ORDER BY id").bind("e", epoch).mapTo(Long.class).list());
    }

    /**
     * Claims a running change control for the leader of {@code epoch}, in one transaction that
     * locks its row: only while the database still names that epoch the leader, and only once per
     * epoch, so two leaders never run the same change control.
     */
    public Optional<Claim> claim(long id, long epoch) {
        return db.write(h -> {
            String lock = db.dialect() == Database.Dialect.POSTGRESQL ? " FOR UPDATE" : "";
            long leader = h.createQuery("SELECT epoch FROM cluster_leader WHERE id = 1" + lock).mapTo(Long.class).one();
            Optional<java.util.Map.Entry<String, Optional<Long>>> row = h.createQuery(
                            "SELECT state, leader_epoch FROM change_controls WHERE id = :id" + lock).bind("id", id)
                    .map((rs, ctx) -> {
                        long e = rs.getLong("leader_epoch");
                        Optional<Long> claimed = rs.wasNull() ? Optional.empty() : Optional.of(e);
                        return java.util.Map.entry(rs.getString("state"), claimed);
                    }).findOne();
            if (leader != epoch || row.isEmpty() || !row.get().getKey().equals(State.RUNNING.key())
                    || row.get().getValue().filter(e -> e >= epoch).isPresent()) {
                return Optional.<Claim>empty();
            }
            h.createUpdate("UPDATE change_controls SET leader_epoch = :e WHERE id = :id").bind("e", epoch).bind("id", id).execute();
            boolean takenOver = row.get().getValue().isPresent();
            AuditLog.append(h, "septum", takenOver ? "change-control.taken-over" : "change-control.claimed", "change-control " + id,
                    "leader epoch " + epoch + (takenOver ? ", after epoch " + row.get().getValue().get() : ""));
            return Optional.of(new Claim(id, epoch, takenOver));
        });
    }

    /** The build a change control's approver approved, while the workspace's stored build still hashes to it. */
    public Optional<Build> approvedBuild(long id) {
        return db.read(h -> get(h, id).flatMap(cc -> WorkspaceStore.build(h, cc.workspaceId())
                .filter(b -> cc.approvedHash().filter(b.hash()::equals).isPresent())));
    }

    private static void requireClaim(Handle h, Claim claim) {
        boolean held = h.createQuery("SELECT COUNT(*) FROM change_controls WHERE id = :id AND state = 'running' AND leader_epoch = :e")
                .bind("id", claim.id()).bind("e", claim.epoch()).mapTo(Integer.class).one() == 1;
        if (!held) {
            throw new ClaimLost(claim);
        }
    }

    /** The run put every device right: the change control succeeded and its version is what the devices run. */
    public void succeeded(String actor, Claim claim, long versionId) {
        db.write(h -> {
            requireClaim(h, claim);
            transition(h, actor, claim.id(), State.RUNNING, State.SUCCEEDED, "all devices done");
            PolicyStore.setState(h, versionId, PolicyVersion.State.DEPLOYED);
            AuditLog.append(h, actor, "version.deployed", "version " + versionId, "by change-control " + claim.id());
            return null;
        });
    }

    /** Ends a claimed run as {@code to} (failed or interrupted). */
    public void finish(String actor, Claim claim, State to, String detail) {
        db.write(h -> {
            requireClaim(h, claim);
            return transition(h, actor, claim.id(), State.RUNNING, to, detail);
        });
    }

    public void deviceState(String actor, Claim claim, String device, DeviceState state, String message) {
        db.write(h -> {
            requireClaim(h, claim);
            h.createUpdate("UPDATE device_results SET state = :state, message = :msg, updated_at = :at "
                            + "WHERE change_control_id = :cc AND device = :device")
                    .bind("state", state.key()).bind("msg", message).bind("at", Clock.now()).bind("cc", claim.id()).bind("device", device)
                    .execute();
            AuditLog.append(h, actor, "deploy." + state.key(), "change-control " + claim.id() + " device " + device, message);
            return null;
        });
    }
}
