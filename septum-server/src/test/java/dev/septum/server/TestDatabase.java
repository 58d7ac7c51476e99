package dev.septum.server;


import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * The two databases every persistence test runs on. SQLite needs nothing. PostgreSQL is the one
 * {@code .ci/run} installs and starts on loopback, named by {@code SEPTUM_TEST_PG_URL}; CI always
 * sets it, so there these tests always run. On a developer machine without that variable the
 * PostgreSQL cases are skipped (reported as skipped, never passed). Each test gets its own schema,
 * dropped afterwards, so tests cannot see each other's rows.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String PG_ENV = "SEPTUM_TEST_PG_URL";

    private final String kind;
    private final Optional<String> url;
    private final String schema;

    private TestDatabase(String kind, Optional<String> url, String schema) {
        this.kind = kind;
        this.url = url;
        this.schema = schema;
    }

    /** {@code sqlite} or {@code postgresql}; the latter fails the test when {@value #PG_ENV} is unset, so the PostgreSQL half never passes by not running. */
    public static TestDatabase of(String kind) {
        if (kind.equals("sqlite")) {
            return new TestDatabase(kind, Optional.empty(), "");
        }
        String base = System.getenv(PG_ENV);
        if (base == null || base.isBlank()) {
            throw new AssertionError(PG_ENV + " is not set: this test's PostgreSQL run cannot start (.ci/run starts PostgreSQL and sets it)");
        }
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(base, "CREATE SCHEMA " + schema);
        return new TestDatabase(kind, Optional.of(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema), schema);
    }

    public ServerConfig config(Path dataDir) {
        return ServerConfig.local(dataDir).withDatabase(url).withAdminPassword(TestUsers.ADMIN_PASSWORD);
    }

    /** The PostgreSQL URL of this test's schema (for servers in processes of their own); empty on SQLite. */
    public Optional<String> jdbcUrl() {
        return url;
    }

    public dev.septum.server.db.Database open(Path dataDir) {
        return dev.septum.server.db.Database.open(dataDir, url);
    }

    @Override
    public void close() {
        if (kind.equals("postgresql")) {
            execute(System.getenv(PG_ENV), "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Override
    public String toString() {
        return kind;
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + dev.septum.server.db.Database.redact(url) + ": " + e.getMessage(), e);
        }
    }
}
