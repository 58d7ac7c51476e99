package dev.septum.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run the server.
 *
 * @param port                  0 picks a free port (tests)
 * @param database              a PostgreSQL JDBC URL; empty means SQLite in {@code dataDir}
 * @param fourEyes              a change control needs an approver other than its submitter
 * @param adminPassword         the first admin's password on an empty database; when empty a random
 *                              one is written to {@code dataDir/initial-admin-password} (mode 600)
 * @param deployStepDelay       a pause before each device of a change control, to watch (or test)
 *                              a run in progress; zero in production
 */
public record ServerConfig(String host, int port, Path dataDir, Optional<String> database, boolean fourEyes,
                           Optional<String> adminPassword, Duration deployStepDelay) {
    public static ServerConfig local(Path dataDir) {
        return new ServerConfig("127.0.0.1", 0, dataDir, Optional.empty(), true, Optional.empty(), Duration.ZERO);
    }

    public ServerConfig withDatabase(Optional<String> url) {
        return new ServerConfig(host, port, dataDir, url, fourEyes, adminPassword, deployStepDelay);
    }

    public ServerConfig withAdminPassword(String password) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, Optional.of(password), deployStepDelay);
    }

    public ServerConfig withDeployStepDelay(Duration delay) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, adminPassword, delay);
    }
}
