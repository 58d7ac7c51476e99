package dev.septum.cli;

import dev.septum.builder.observe.ObservedSessions;
import dev.septum.flows.kafka.CentralStore;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.QueryValues;
import dev.septum.flows.store.SessionSource;
import dev.septum.verify.analysis.BreakSetAnalysis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code --sessions STORE [--since WHEN] [--limit N]}: the stored sessions the lifecycle commands
 * test a policy on (diff's break-set, staged, stale, the check gate). STORE is the data directory
 * of {@code septum collect}, its DuckDB file, or the central store's PostgreSQL JDBC URL. A store that cannot be read ends the command with
 * exit code 3 ({@link Main} reports {@link Unreadable}).
 */
final class SessionStoreOptions {
    Optional<String> store = Optional.empty();
    Optional<String> since = Optional.empty();
    int limit;

    void addTo(CommandSpec spec) {
        spec.addOption(CommandModel.optional(String.class, s -> store = s, "--sessions").paramLabel("STORE")
                .description("A flow store: the data directory of 'septum collect', its DuckDB file, or the central store "
                        + "'septum flows-ingest' fills (a jdbc:postgresql: URL)").build());
        spec.addOption(CommandModel.optional(String.class, s -> since = s, "--since").paramLabel("WHEN")
                .description("With --sessions: only sessions last seen at or after WHEN, a duration back from now (15m, 2h, 7d) "
                        + "or an ISO instant (default: every stored session)").build());
        spec.addOption(CommandModel.option(int.class, n -> limit = n, "--limit").paramLabel("N").defaultValue("100000")
                .description("With --sessions: at most N sessions, the most recent (default: ${DEFAULT-VALUE})").build());
    }

    /** The store is absent, or DuckDB refused it. */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** The sessions when --sessions was given; --since or --limit without it are a usage error. */
    Optional<BreakSetAnalysis.Observed> read(CommandLine command) {
        if (store.isEmpty()) {
            if (since.isPresent() || command.getParseResult().hasMatchedOption("--limit")) {
                throw new ParameterException(command, "--since and --limit need --sessions STORE (the flow store to read)");
            }
            return Optional.empty();
        }
        Optional<Long> sinceMs;
        try {
            sinceMs = since.map(s -> QueryValues.instant(s, System.currentTimeMillis()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command, "--since " + e.getMessage());
        }
        SessionSource flows = open(command, store.get());
        try {
            return Optional.of(ObservedSessions.read(flows, sinceMs, since.orElse(""), limit));
        } catch (SQLException e) {
            throw new Unreadable("cannot read " + flows.describe() + ": " + e.getMessage());
        }
    }

    /** As {@link #read}, for a command that needs the sessions. */
    BreakSetAnalysis.Observed required(CommandLine command) {
        return read(command).orElseThrow(() -> new ParameterException(command, "--sessions STORE is required: the flow store to test on"));
    }

    private static SessionSource open(CommandLine command, String given) {
        if (given.startsWith("jdbc:")) {
            try {
                return new CentralStore(given);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command, e.getMessage().replace("--store", "--sessions"));
            }
        }
        Path store = Path.of(given);
        Path dir = store.getFileName() != null && store.getFileName().toString().equals(FlowStore.FILE) ? store.toAbsolutePath().getParent() : store;
        FlowStore flows = new FlowStore(dir);
        if (!Files.exists(flows.file())) {
            throw new Unreadable("no flow store at " + flows.file() + " (give the data directory of 'septum collect' or its "
                    + FlowStore.FILE + ")");
        }
        return SessionSource.of(flows);
    }
}
