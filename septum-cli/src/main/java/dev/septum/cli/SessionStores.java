package dev.septum.cli;

import dev.septum.flows.kafka.CentralStore;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.SessionSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The store a command reads sessions from: the node's DuckDB file under --data-dir, or with --store the central one. */
final class SessionStores {
    private SessionStores() {
    }

    /**
     * @param dataDirGiven whether --data-dir was given (it cannot go with --store)
     * @return empty, said on {@code err} after "septum COMMAND: ", when neither can be read
     */
    static Optional<SessionSource> open(String command, Optional<String> central, boolean dataDirGiven, Path dataDir, PrintWriter err) {
        if (central.isPresent()) {
            if (dataDirGiven) {
                err.println("septum " + command + ": --store reads the central store; it cannot go with --data-dir");
            } else {
                try {
                    return Optional.of(new CentralStore(central.get()));
                } catch (IllegalArgumentException e) {
                    err.println("septum " + command + ": " + e.getMessage());
                }
            }
            err.flush();
            return Optional.empty();
        }
        FlowStore local = new FlowStore(dataDir);
        if (!Files.exists(local.file())) {
            err.println("septum " + command + ": no flow store at " + local.file()
                    + " (start 'septum collect --data-dir " + dataDir + "' first, or point --data-dir at its directory)");
            err.flush();
            return Optional.empty();
        }
        return Optional.of(SessionSource.of(local));
    }
}
