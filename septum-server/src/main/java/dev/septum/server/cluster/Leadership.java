package dev.septum.server.cluster;

import dev.septum.server.db.Database;
import dev.septum.server.store.Clock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which server of those sharing one database runs change controls and polling. On PostgreSQL the
 * leader is the holder of a session-level advisory lock, taken on a connection of its own: when
 * that connection is lost (the process died, the network or the database went away) PostgreSQL
 * ends the session and frees the lock, and the holder, whose next check on the connection fails,
 * stops leading. Every new leader takes the next epoch from {@code cluster_leader}; runs are claimed
 * by epoch ({@link dev.septum.server.store.ChangeControlStore#claim}). On SQLite there is one
 * server, always the leader.
 */
public final class Leadership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** The advisory lock's first key ("sept"); the second is the schema's hash, so schemas never share a leader. */
    private static final int LOCK_CLASS = 0x73657074;
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);
    private static final int CHECK_TIMEOUT_SECONDS = 2;

    /** This node, and the leader as the database records it. */
    public record Status(String node, boolean leader, long epoch, String leaderNode, String leaderSince) {
        public String role() {
            return leader ? "leader" : "follower";
        }
    }

    private final Database db;
    private final String node;
    private final Optional<String> lockUrl;
    private final CopyOnWriteArrayList<LongConsumer> whileLeading = new CopyOnWriteArrayList<>();
    private volatile OptionalLong epoch = OptionalLong.empty();
    private volatile Connection lock;
    private volatile Thread loop;

    private Leadership(Database db, String node, Optional<String> lockUrl) {
        this.db = db;
        this.node = node;
        this.lockUrl = lockUrl;
    }

    /** {@code jdbcUrl}: the PostgreSQL the servers share; empty: SQLite, one server, always the leader. */
    public static Leadership of(Database db, Optional<String> jdbcUrl, String node) {
        return new Leadership(db, node, jdbcUrl);
    }

    /** This process as operators see it in /api/health: host name and process id. */
    public static String thisNode() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    /**
     * Called with the epoch when this node becomes the leader and after each check that it still
     * is (on PostgreSQL every half second), on the checking thread: {@code action} must not block.
     */
    public void whileLeading(LongConsumer action) {
        whileLeading.add(action);
    }

    /**
     * Tries once now (so a lone server leads before it serves), then keeps trying, and keeps
     * checking the lock's connection while leading.
     */
    public void start() {
        step();
        if (lockUrl.isPresent()) {
            loop = Thread.ofPlatform().daemon().name("leadership").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(CHECK_EVERY);
                    } catch (InterruptedException e) {
                        return;
                    }
                    step();
                }
            });
        }
    }

    public boolean isLeader() {
        return epoch.isPresent();
    }

    /**
     * Checked by a run before it touches each device: this node still leads under {@code claimed},
     * asked now: its lock connection answers and the database names no newer epoch (a newer one
     * exists only once PostgreSQL ended this node's lock session and another node took the lock,
     * which may be before this node's own periodic check notices).
     */
    public boolean leadsUnder(long claimed) {
        OptionalLong now = epoch;
        return now.isPresent() && now.getAsLong() == claimed && (lockUrl.isEmpty() || lockAlive()) && recordedEpoch() == claimed;
    }

    private long recordedEpoch() {
        return db.read(h -> h.createQuery("SELECT epoch FROM cluster_leader WHERE id = 1").mapTo(Long.class).one());
    }

    public OptionalLong epoch() {
        return epoch;
    }

    public String node() {
        return node;
    }

    public Status status() {
        return db.read(h -> h.createQuery("SELECT epoch, node, since FROM cluster_leader WHERE id = 1")
                .map((rs, ctx) -> new Status(node, isLeader(), rs.getLong("epoch"), rs.getString("node"), rs.getString("since")))
                .one());
    }

    private void step() {
        try {
            if (lockUrl.isEmpty()) {
                if (epoch.isEmpty()) {
                    elected();
                }
            } else if (epoch.isPresent()) {
                if (!lockAlive()) {
                    deposed("the lock's connection to PostgreSQL failed its check");
                } else if (recordedEpoch() != epoch.getAsLong()) {
                    deposed("the database names epoch " + recordedEpoch() + " the leader");
                } else {
                    lead(epoch.getAsLong());
                }
            } else if (tryLock()) {
                elected();
            }
        } catch (RuntimeException | SQLException e) {
            if (epoch.isPresent()) {
                deposed(e.getMessage());
            } else {
                LOG.warn("cannot try for leadership: {}", e.getMessage());
                closeLock();
            }
        }
    }

    private boolean tryLock() throws SQLException {
        if (lock == null) {
            lock = DriverManager.getConnection(lockUrl.orElseThrow());
        }
        try (PreparedStatement s = lock.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(current_schema()))")) {
            s.setInt(1, LOCK_CLASS);
            s.setQueryTimeout(CHECK_TIMEOUT_SECONDS);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private boolean lockAlive() {
        try {
            return lock != null && lock.isValid(CHECK_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private void elected() {
        long next = db.write(h -> {
            h.createUpdate("UPDATE cluster_leader SET epoch = epoch + 1, node = :node, since = :at WHERE id = 1")
                    .bind("node", node).bind("at", Clock.now()).execute();
            long e = h.createQuery("SELECT epoch FROM cluster_leader WHERE id = 1").mapTo(Long.class).one();
            dev.septum.server.store.AuditLog.append(h, "septum", "cluster.leader", "node " + node, "epoch " + e);
            return e;
        });
        epoch = OptionalLong.of(next);
        LOG.info("this node ({}) leads, epoch {}", node, next);
        lead(next);
    }

    private void lead(long current) {
        for (LongConsumer action : whileLeading) {
            try {
                action.accept(current);
            } catch (RuntimeException e) {
                LOG.error("leader work (epoch {}) failed", current, e);
            }
        }
    }

    private void deposed(String why) {
        LOG.error("this node ({}) no longer leads (epoch {}): {}", node, epoch.orElse(0), why);
        epoch = OptionalLong.empty();
        closeLock();
    }

    private void closeLock() {
        Connection c = lock;
        lock = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the lock connection", e);
            }
        }
    }

    @Override
    public void close() {
        Thread t = loop;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        epoch = OptionalLong.empty();
        closeLock();
    }
}
