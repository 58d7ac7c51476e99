package dev.septum.server;

import dev.septum.server.monitor.CollectorSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * How to run the server.
 *
 * @param port                  0 picks a free port (tests)
 * @param database              a PostgreSQL JDBC URL; empty means SQLite in {@code dataDir}
 * @param fourEyes              a change control needs an approver other than its submitter
 * @param adminPassword         the first admin's password on an empty database; when empty a random
 *                              one is written to {@code dataDir/initial-admin-password} (mode 600)
 * @param deployStepDelay       a hold after each device's apply in a change control, before its result is
 *                              recorded, to watch (or test, or kill) a run in progress; a run taken over
 *                              from a stopped leader does not hold; zero in production
 * @param secrets               device credentials by name: the process environment in production
 * @param counterInterval       how often to read every nftables target's rule counters; zero: only on request
 * @param tls                   serve HTTPS only with this identity; empty: plain HTTP
 * @param collector             receive IPFIX / NetFlow v9 and store tagged sessions in {@code dataDir}; empty: off
 * @param tokenLifetime         how long an API token is valid (the default and the most a creator may ask for)
 * @param groupRefreshInterval  how often to check whether a dynamic group's source is due to be asked again; zero:
 *                              only on request ({@code POST /api/groups/refresh}) and on a push
 * @param expiredInterval       how often to open the removal workspace of expired rules (when one is not open); zero:
 *                              only on request ({@code POST /api/rules/expired/workspace})
 */
public record ServerConfig(String host, int port, Path dataDir, Optional<String> database, boolean fourEyes,
                           Optional<String> adminPassword, Duration deployStepDelay, Function<String, Optional<String>> secrets,
                           Duration counterInterval, Optional<TlsConfig> tls,
                           Optional<CollectorSettings> collector, Duration tokenLifetime,
                           Duration groupRefreshInterval, Duration expiredInterval) {
    public static final Function<String, Optional<String>> ENVIRONMENT = name -> Optional.ofNullable(System.getenv(name));
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofDays(90);

    public static ServerConfig local(Path dataDir) {
        return new ServerConfig("127.0.0.1", 0, dataDir, Optional.empty(), true, Optional.empty(), Duration.ZERO, ENVIRONMENT, Duration.ZERO, Optional.empty(),
                Optional.empty(), DEFAULT_TOKEN_LIFETIME, Duration.ZERO, Duration.ZERO);
    }

    public ServerConfig withDatabase(Optional<String> url) {
        return new ServerConfig(host, port, dataDir, url, fourEyes, adminPassword, deployStepDelay, secrets, counterInterval, tls, collector, tokenLifetime, groupRefreshInterval, expiredInterval);
    }

    public ServerConfig withAdminPassword(String password) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, Optional.of(password), deployStepDelay, secrets, counterInterval, tls, collector, tokenLifetime, groupRefreshInterval, expiredInterval);
    }

    public ServerConfig withDeployStepDelay(Duration delay) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, adminPassword, delay, secrets, counterInterval, tls, collector, tokenLifetime, groupRefreshInterval, expiredInterval);
    }

    public ServerConfig withCounterInterval(Duration interval) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, adminPassword, deployStepDelay, secrets, interval, tls, collector, tokenLifetime, groupRefreshInterval, expiredInterval);
    }

    public ServerConfig withTls(TlsConfig identity) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, adminPassword, deployStepDelay, secrets, counterInterval,
                Optional.of(identity), collector, tokenLifetime, groupRefreshInterval, expiredInterval);
    }

    public ServerConfig withSecrets(Function<String, Optional<String>> lookup) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, adminPassword, deployStepDelay, lookup, counterInterval, tls, collector, tokenLifetime, groupRefreshInterval, expiredInterval);
    }

    public ServerConfig withCollector(CollectorSettings settings) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, adminPassword, deployStepDelay, secrets, counterInterval, tls,
                Optional.of(settings), tokenLifetime, groupRefreshInterval, expiredInterval);
    }

    public ServerConfig withTokenLifetime(Duration lifetime) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, adminPassword, deployStepDelay, secrets, counterInterval, tls,
                collector, lifetime, groupRefreshInterval, expiredInterval);
    }

    public ServerConfig withGroupRefreshInterval(Duration interval) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, adminPassword, deployStepDelay, secrets, counterInterval, tls,
                collector, tokenLifetime, interval, expiredInterval);
    }

    public ServerConfig withExpiredInterval(Duration interval) {
        return new ServerConfig(host, port, dataDir, database, fourEyes, adminPassword, deployStepDelay, secrets, counterInterval, tls,
                collector, tokenLifetime, groupRefreshInterval, interval);
    }
}
