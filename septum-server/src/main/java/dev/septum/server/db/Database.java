package dev.septum.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The configuration database: SQLite in a file (the default, nothing to install) or PostgreSQL
 * (a JDBC URL). The schema is migrated by Flyway on open, so a server never runs against an older
 * schema than its code.
 */
public final class Database implements AutoCloseable {
    public enum Dialect { SQLITE, POSTGRESQL }

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final AutoCloseable closer;
    // SQLite allows one writer; serialising write transactions here turns SQLITE_BUSY races into waits.
    private final ReentrantLock sqliteWriter = new ReentrantLock();

    private Database(DataSource source, Dialect dialect, AutoCloseable closer) {
        this.dialect = dialect;
        this.closer = closer;
        Flyway.configure().dataSource(source)
                .locations("classpath:db/migration/" + dialect.name().toLowerCase())
                .load().migrate();
        this.jdbi = Jdbi.create(source);
        // JDBI's default exception text lists bound values (password and token hashes among them);
        // exceptions reach the log, so they carry the statement only
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e -> (e.getCause() == null ? "" : e.getCause().getMessage() + " ")
                + (e.getStatementContext() == null ? "" : "[statement: \"" + e.getStatementContext().getRawSql() + "\"]"));
    }

    /** {@code <dataDir>/septum.db}, created with the directory when missing. */
    public static Database sqlite(Path dataDir) {
        DataDirectory.prepare(dataDir);
        // SQLite gives its -wal and -shm files the database file's mode
        DataDirectory.privateFile(dataDir.resolve("septum.db"));
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL); // a deploy step's state must survive a power cut
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + dataDir.resolve("septum.db").toAbsolutePath());
        // a pool: opening an SQLite connection re-reads the schema and sets every pragma, which cost
        // more than the query itself on each request (WAL lets the pooled readers run side by side)
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(sqlite);
        pool.setMaximumPoolSize(4);
        pool.setPoolName("septum-sqlite");
        HikariDataSource source = new HikariDataSource(pool);
        return new Database(source, Dialect.SQLITE, source);
    }

    /** A PostgreSQL JDBC URL; user and password may be given in the URL's parameters. */
    public static Database postgresql(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--db '" + redact(jdbcUrl) + "': only PostgreSQL URLs are supported. "
                    + "Fix: jdbc:postgresql://host:5432/septum?user=septum&password=..., or omit --db for SQLite");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(8);
        config.setPoolName("septum");
        HikariDataSource source = new HikariDataSource(config);
        return new Database(source, Dialect.POSTGRESQL, source);
    }

    public static Database open(Path dataDir, java.util.Optional<String> jdbcUrl) {
        return jdbcUrl.map(Database::postgresql).orElseGet(() -> sqlite(dataDir));
    }

    /** The URL without its password, fit for logs and error messages. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    public Dialect dialect() {
        return dialect;
    }

    public <R, X extends Exception> R read(HandleCallback<R, X> callback) throws X {
        return jdbi.withHandle(callback);
    }

    /** One transaction; all of it or none of it is stored. */
    public <R, X extends Exception> R write(HandleCallback<R, X> callback) throws X {
        if (dialect == Dialect.SQLITE) {
            sqliteWriter.lock();
            try {
                return jdbi.inTransaction(callback);
            } finally {
                sqliteWriter.unlock();
            }
        }
        return jdbi.inTransaction(callback);
    }

    public Handle open() {
        return jdbi.open();
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
