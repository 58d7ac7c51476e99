package dev.septum.server.store;

import dev.septum.server.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.EmptyHandling;

/**
 * Policy Builder runs in the database (table {@code recommendation_runs}), so a run started on one
 * request is polled on the next and a finished one outlives a restart. The proposal and the error
 * are kept as the JSON text the caller gives; this store does not read them. Each run names the
 * server ({@code node}) working on it and when that server last renewed it ({@code heartbeat_at}),
 * so servers sharing one PostgreSQL fail only runs nobody is working on.
 */
public final class RecommendationStore {
    public enum Status {
        QUEUED, RUNNING, DONE, FAILED;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status of(String key) {
            return valueOf(key.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * One run as stored.
     *
     * @param revision the workspace's revision the run read (0 for a version)
     * @param request  the run's fields as its answer repeats them (JSON)
     * @param ruleCount how many rules it proposes, when done
     * @param holds    whether its guarantees hold, when done
     * @param result   the proposal (JSON), when done
     * @param error    why it failed (JSON), when failed
     */
    public record StoredRun(long id, String createdBy, String createdAt, Optional<String> finishedAt, Status status, String progress,
                            Optional<Long> versionId, Optional<Long> workspaceId, long revision, String label, String request,
                            Optional<Integer> ruleCount, Optional<Boolean> holds, Optional<String> result, Optional<String> error) {
    }

    private static final String COLUMNS = "id, created_by, created_at, finished_at, status, progress, version_id, workspace_id, revision, "
            + "label, request, rule_count, holds, result, error";

    /** Heartbeats compare as text, so always three fraction digits (Instant.toString leaves ".000" out). */
    private static final DateTimeFormatter HEARTBEAT_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Database db;
    private final String node;

    /** @param node this server, as {@code Leadership.thisNode()} names it */
    public RecommendationStore(Database db, String node) {
        this.db = db;
        this.node = node;
    }

    /** A new queued run; the oldest runs beyond {@code kept} are deleted, unless unfinished. */
    public StoredRun add(String by, Optional<Long> versionId, Optional<Long> workspaceId, long revision, String label, String request,
                         int kept) {
        return db.write(h -> {
            long id = h.createQuery("INSERT INTO recommendation_runs (created_by, created_at, status, progress, version_id, workspace_id, "
                            + "revision, label, request, node, heartbeat_at) VALUES (:by, :at, 'queued', 'queued', :v, :w, :rev, :label, :req, "
                            + ":node, :beat) RETURNING id")
                    .bind("by", by).bind("at", Clock.now()).bind("node", node).bind("beat", beat())
                    .bind("v", versionId.orElse(null)).bind("w", workspaceId.orElse(null))
                    .bind("rev", revision).bind("label", label).bind("req", request).mapTo(Long.class).one();
            h.createUpdate("DELETE FROM recommendation_runs WHERE id <= :oldest AND status IN ('done', 'failed')")
                    .bind("oldest", id - kept).execute();
            return h.createQuery("SELECT " + COLUMNS + " FROM recommendation_runs WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> run(rs)).one();
        });
    }

    public void progress(long id, Status status, String progress) {
        db.write(h -> h.createUpdate("UPDATE recommendation_runs SET status = :s, progress = :p, heartbeat_at = :at "
                        + "WHERE id = :id AND status IN ('queued', 'running')")
                .bind("s", status.key()).bind("p", progress).bind("at", beat()).bind("id", id).execute());
    }

    /** This server still works on its unfinished runs: renews their heartbeat. */
    public void heartbeat() {
        db.write(h -> h.createUpdate("UPDATE recommendation_runs SET heartbeat_at = :at WHERE node = :node AND status IN ('queued', 'running')")
                .bind("at", beat()).bind("node", node).execute());
    }

    /** Ends a run done: its rule count, whether its guarantees hold, and its answer. */
    public void done(long id, String progress, int ruleCount, boolean holds, String result) {
        db.write(h -> h.createUpdate("UPDATE recommendation_runs SET status = 'done', progress = :p, finished_at = :at, rule_count = :n, "
                        + "holds = :h, result = :r WHERE id = :id")
                .bind("p", progress).bind("at", Clock.now()).bind("n", ruleCount).bind("h", holds ? 1 : 0).bind("r", result)
                .bind("id", id).execute());
    }

    /** Ends a run failed, with why. */
    public void failed(long id, String progress, String error) {
        db.write(h -> h.createUpdate("UPDATE recommendation_runs SET status = 'failed', progress = :p, finished_at = :at, error = :e "
                        + "WHERE id = :id")
                .bind("p", progress).bind("at", Clock.now()).bind("e", error).bind("id", id).execute());
    }

    public Optional<StoredRun> get(long id) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM recommendation_runs WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> run(rs)).findOne());
    }

    /** The newest runs first, without their results. */
    public List<StoredRun> newest(int limit) {
        return db.read(h -> h.createQuery("SELECT id, created_by, created_at, finished_at, status, progress, version_id, workspace_id, "
                        + "revision, label, request, rule_count, holds, NULL AS result, error FROM recommendation_runs ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit).map((rs, ctx) -> run(rs)).list());
    }

    /**
     * Runs queued or running that will not finish fail with {@code error}: on SQLite (one server)
     * every one; on PostgreSQL, shared by several servers, this server's own and those whose server
     * has not renewed them since {@code staleBefore}. Returns their ids.
     */
    public List<Long> markInterrupted(String error, Instant staleBefore) {
        boolean shared = db.dialect() == Database.Dialect.POSTGRESQL;
        String unfinished = "status IN ('queued', 'running')"
                + (shared ? " AND (node IS NULL OR node = :node OR heartbeat_at IS NULL OR heartbeat_at < :cutoff)" : "");
        Map<String, Object> whose = shared ? Map.of("node", node, "cutoff", HEARTBEAT_TEXT.format(staleBefore)) : Map.of();
        return db.write(h -> {
            List<Long> ids = h.createQuery("SELECT id FROM recommendation_runs WHERE " + unfinished + " ORDER BY id")
                    .bindMap(whose).mapTo(Long.class).list();
            h.createUpdate("UPDATE recommendation_runs SET status = 'failed', progress = 'interrupted', finished_at = :at, error = :e "
                    + "WHERE " + unfinished + " AND id IN (<ids>)").bind("at", Clock.now()).bind("e", error).bindMap(whose)
                    .bindList(EmptyHandling.NULL_KEYWORD, "ids", ids).execute();
            return ids;
        });
    }

    private static String beat() {
        return HEARTBEAT_TEXT.format(Instant.now());
    }

    private static StoredRun run(ResultSet rs) throws SQLException {
        long version = rs.getLong("version_id");
        boolean noVersion = rs.wasNull();
        long workspace = rs.getLong("workspace_id");
        boolean noWorkspace = rs.wasNull();
        int rules = rs.getInt("rule_count");
        boolean noRules = rs.wasNull();
        int holds = rs.getInt("holds");
        return new StoredRun(rs.getLong("id"), rs.getString("created_by"), rs.getString("created_at"),
                Optional.ofNullable(rs.getString("finished_at")), Status.of(rs.getString("status")), rs.getString("progress"),
                noVersion ? Optional.empty() : Optional.of(version), noWorkspace ? Optional.empty() : Optional.of(workspace),
                rs.getLong("revision"), rs.getString("label"), rs.getString("request"),
                noRules ? Optional.empty() : Optional.of(rules), noRules ? Optional.empty() : Optional.of(holds == 1), Optional.ofNullable(rs.getString("result")),
                Optional.ofNullable(rs.getString("error")));
    }
}
