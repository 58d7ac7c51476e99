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

    /** The run put every device right: the change control succeeded and its version is what the devices run. */
    public void succeeded(String actor, long id, long versionId) {
        db.write(h -> {
            if (transition(h, actor, id, State.RUNNING, State.SUCCEEDED, "all devices done")) {
                PolicyStore.setState(h, versionId, PolicyVersion.State.DEPLOYED);
                AuditLog.append(h, actor, "version.deployed", "version " + versionId, "by change-control " + id);
            }
            return null;
        });
    }

    public void deviceState(String actor, long id, String device, DeviceState state, String message) {
        db.write(h -> {
            h.createUpdate("UPDATE device_results SET state = :state, message = :msg, updated_at = :at "
                            + "WHERE change_control_id = :cc AND device = :device")
                    .bind("state", state.key()).bind("msg", message).bind("at", Clock.now()).bind("cc", id).bind("device", device)
                    .execute();
            AuditLog.append(h, actor, "deploy." + state.key(), "change-control " + id + " device " + device, message);
            return null;
        });
    }

    /**
     * After a restart: a change control still marked running was cut off. Its device caught
     * mid-step is unknown (the apply may or may not have reached the kernel), the ones not reached
     * are skipped, and the change control is interrupted. Returns the ids it marked.
     */
    public List<Long> markInterrupted() {
        return db.write(h -> {
            List<Long> ids = h.createQuery("SELECT id FROM change_controls WHERE state = 'running' ORDER BY id").mapTo(Long.class).list();
            String at = Clock.now();
            for (long id : ids) {
                h.createUpdate("UPDATE device_results SET state = 'unknown', message = :msg, updated_at = :at "
                                + "WHERE change_control_id = :cc AND state = 'running'")
                        .bind("msg", "the server stopped while deploying this device; read it back before trusting it")
                        .bind("at", at).bind("cc", id).execute();
                h.createUpdate("UPDATE device_results SET state = 'skipped', message = :msg, updated_at = :at "
                                + "WHERE change_control_id = :cc AND state = 'pending'")
                        .bind("msg", "not reached: the server stopped").bind("at", at).bind("cc", id).execute();
                h.createUpdate("UPDATE change_controls SET state = 'interrupted', updated_at = :at WHERE id = :id")
                        .bind("at", at).bind("id", id).execute();
                AuditLog.append(h, "septum", "change-control.interrupted", "change-control " + id,
                        "found running at start-up: the server stopped during the deployment");
            }
            return ids;
        });
    }
}
