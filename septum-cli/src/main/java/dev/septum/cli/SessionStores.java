package dev.septum.cli;

import dev.septum.builder.observe.ObservedSessions;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.QueryValues;
import dev.septum.verify.analysis.BreakSetAnalysis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/** A flow store named on the command line ({@code --sessions STORE}): its data directory or its flows.duckdb. */
final class SessionStores {
    private SessionStores() {
    }

    /** The store cannot be read: absent, or DuckDB refused it. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    /**
     * @param since a duration back from now or an ISO instant; an unreadable one is an IllegalArgumentException
     */
    static BreakSetAnalysis.Observed observed(Path store, Optional<String> since, int limit) throws Unreadable {
        Optional<Long> sinceMs = since.map(s -> QueryValues.instant(s, System.currentTimeMillis()));
        FlowStore flows = open(store);
        try {
            return ObservedSessions.read(flows, sinceMs, since.orElse(""), limit);
        } catch (SQLException e) {
            throw new Unreadable("cannot read " + flows.file() + ": " + e.getMessage());
        }
    }

    private static FlowStore open(Path store) throws Unreadable {
        Path dir = store.getFileName() != null && store.getFileName().toString().equals(FlowStore.FILE) ? store.toAbsolutePath().getParent() : store;
        FlowStore flows = new FlowStore(dir);
        if (!Files.exists(flows.file())) {
            throw new Unreadable("no flow store at " + flows.file() + " (give the data directory of 'septum collect' or its "
                    + FlowStore.FILE + ")");
        }
        return flows;
    }
}
