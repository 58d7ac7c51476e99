package dev.septum.flows.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The DuckDB instance a store's flushes write through: in memory, kept from flush to flush, with the
 * store's file attached for each flush and detached after it, so the file is locked only while a
 * flush writes (readers, in other processes or this one, open it between flushes, as before). Opening
 * the file as a new instance every flush started DuckDB anew each time (its catalog, buffer pool and
 * allocator, then freed again on close): a whole 100,000-row flush cost 110-113 ms of CPU so, 83-85
 * ms attached to a kept instance, opening 14-18 ms against attaching under 1 ms
 * (bench/flows/FlushInstanceProbe.java; bench/RESULTS.md, "fl7").
 *
 * <p>DuckDB refuses a second instance of this process the same file while it is attached here ("is
 * already attached"), and this one the file while another holds it: both are a busy file, retried.
 */
final class FlushInstance {
    /** The attached file's name in the instance. */
    private static final String ALIAS = "flows";
    private static final java.sql.Driver DRIVER = new org.duckdb.DuckDBDriver();
    private final Path file;
    /** Null until the first flush, and after a flush whose failure left it in doubt. */
    private Connection instance;

    FlushInstance(Path file) {
        this.file = file;
    }

    /** Runs SQL on the attached file. */
    @FunctionalInterface
    interface Flush {
        void run(Connection c) throws SQLException;
    }

    /**
     * Attaches the file (retrying while it is busy), runs {@code flush} on it, detaches it. A flush that
     * fails takes the instance with it (closing it detaches the file), so nothing it left attached or
     * half-done reaches the next flush, which starts a new instance. So does a detach that fails after
     * the flush committed, without failing the flush: its rows are on disk, and a flush reported as
     * failed would have its exported rows written again.
     */
    void write(Flush flush) throws SQLException {
        Connection c = instance();
        FlowStore.whenFree(() -> {
            try (Statement st = c.createStatement()) {
                st.execute("ATTACH '" + file.toAbsolutePath().toString().replace("'", "''") + "' AS " + ALIAS);
            }
            return null;
        });
        try (Statement st = c.createStatement()) {
            st.execute("USE " + ALIAS);
            flush.run(c);
            c.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            discard(c, e);
            throw e;
        }
        try (Statement st = c.createStatement()) {
            st.execute("USE memory");
            st.execute("DETACH " + ALIAS);
        } catch (SQLException e) {
            discard(c, e);
            if (e.getSuppressed().length > 0) {
                throw e; // the file may still be held: say so rather than let the next flush find it busy
            }
        }
    }

    /** Drops the instance after {@code failure}; a failure to close it is added to {@code failure}. */
    private void discard(Connection c, Exception failure) {
        instance = null;
        try {
            c.close();
        } catch (SQLException closing) {
            failure.addSuppressed(closing);
        }
    }

    private Connection instance() throws SQLException {
        if (instance == null) {
            Connection c = DRIVER.connect("jdbc:duckdb:", new Properties());
            try (Statement st = c.createStatement()) {
                // DuckDB's worker threads cost a flush (and the checkpoint) more CPU than they save, and the
                // collector's receive thread needs the other core (bench/RESULTS.md, "Collector with its store, next step").
                st.execute("SET threads = 1");
                // With a threshold this low the commit checkpoints at once and skips writing the flush's rows to
                // the write-ahead log first, which they would only pass through (a 100,000-row flush's commit and
                // close about 18 ms less CPU in a probe of these statements, bench/RESULTS.md "fl5").
                st.execute("SET checkpoint_threshold = '1KB'");
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            instance = c;
        }
        return instance;
    }
}
