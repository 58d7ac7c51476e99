package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.flag;
import static dev.septum.cli.CommandModel.option;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.flows.store.FlowStore;
import dev.septum.server.SeptumServer;
import dev.septum.server.ServerConfig;
import dev.septum.server.TlsConfig;
import dev.septum.server.monitor.CollectorSettings;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

final class ServeCommand implements Callable<Integer> {
    static final int START_FAILED = 4;

    CommandSpec spec;
    Path dataDir;
    int port;
    String host;
    Optional<Path> tlsCert = Optional.empty();
    Optional<Path> tlsKey = Optional.empty();
    Optional<Path> tlsKeystore = Optional.empty();
    Optional<String> database = Optional.empty();
    boolean allowSelfApproval;
    long counterIntervalSeconds;
    long groupRefreshSeconds;
    long expiredCheckSeconds;
    Optional<InetSocketAddress> collect = Optional.empty();
    Optional<Inet4Address> collectMirror = Optional.empty();
    long tokenDays;
    boolean demo;
    long deployStepDelayMs;

    static CommandSpec spec() {
        ServeCommand c = new ServeCommand();
        c.spec = command("serve", c,
                new String[] {"Run the Septum controller: REST API, workspaces, change controls, deployments.",
                    "Stores everything in SQLite under --data-dir, or in PostgreSQL with --db. On an empty database it "
                        + "creates the user 'admin' with the password in $SEPTUM_ADMIN_PASSWORD, or a random one written to "
                        + "DATA-DIR/initial-admin-password.",
                    "With --tls-cert/--tls-key (PEM) or --tls-keystore (PKCS#12, password in $SEPTUM_TLS_KEYSTORE_PASSWORD) "
                        + "it serves HTTPS only, on the same port.",
                    "With --collect ADDR:PORT it also receives IPFIX / NetFlow v9 there and stores the sessions in "
                        + "DATA-DIR/flows.duckdb, tagged with the newest policy version (GET /api/sessions, GET "
                        + "/api/collector). With --collect-mirror ADDR it receives GRE-mirrored packets sent to ADDR instead "
                        + "(as collect --mirror; root). Off without either.",
                    "The API is described at http(s)://HOST:PORT/openapi.json; see docs/server.md."},
                "", "Examples:",
                "  septum serve --data-dir /var/lib/septum",
                "  septum serve --db 'jdbc:postgresql://127.0.0.1:5432/septum?user=septum&password=...'",
                "  septum serve --host 0.0.0.0 --port 8443 --tls-cert server.crt --tls-key server.key",
                "  septum serve --data-dir /var/lib/septum --collect 127.0.0.1:4739",
                "  septum serve --data-dir /var/lib/septum --collect-mirror 10.255.1.11",
                "  septum serve --demo --data-dir /tmp/septum-demo",
                "", "Exit codes: 0 stopped, 2 usage error, 4 the server could not start (port in use, database unreachable).");
        c.spec.addOption(option(Path.class, v -> c.dataDir = v, "--data-dir").paramLabel("DIR").defaultValue("septum-data")
                .description("Directory for the SQLite database and the initial admin password (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(int.class, v -> c.port = v, "--port").paramLabel("P").defaultValue("8080")
                .description("TCP port (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(String.class, v -> c.host = v, "--host").paramLabel("ADDR").defaultValue("127.0.0.1")
                .description("Address to listen on (default: ${DEFAULT-VALUE}; without TLS keep it on loopback or behind a TLS proxy)").build());
        c.spec.addOption(optional(Path.class, v -> c.tlsCert = v, "--tls-cert").paramLabel("PEM")
                .description("Serve HTTPS with this certificate (chain) in PEM; needs --tls-key").build());
        c.spec.addOption(optional(Path.class, v -> c.tlsKey = v, "--tls-key").paramLabel("PEM")
                .description("The certificate's private key: unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY)").build());
        c.spec.addOption(optional(Path.class, v -> c.tlsKeystore = v, "--tls-keystore").paramLabel("P12")
                .description("Serve HTTPS with the key and certificate in this PKCS#12 file; password in $SEPTUM_TLS_KEYSTORE_PASSWORD").build());
        c.spec.addOption(optional(String.class, v -> c.database = v, "--db").paramLabel("JDBC-URL")
                .description("PostgreSQL JDBC URL instead of SQLite").build());
        c.spec.addOption(flag(v -> c.allowSelfApproval = v, "--allow-self-approval")
                .description("Let a user approve their own change controls (turns off four eyes)").build());
        c.spec.addOption(option(long.class, v -> c.counterIntervalSeconds = v, "--counter-interval").paramLabel("SECONDS").defaultValue("60")
                .description("Read the rule counters of every nftables target this often and store them (default: ${DEFAULT-VALUE}; 0: off)").build());
        c.spec.addOption(option(long.class, v -> c.groupRefreshSeconds = v, "--group-refresh").paramLabel("SECONDS").defaultValue("30")
                .description("Check this often whether a dynamic group's source is due to be asked again (its refresh or DNS TTL); "
                        + "changed members open a workspace for review (default: ${DEFAULT-VALUE}; 0: only on POST /api/groups/refresh)").build());
        c.spec.addOption(option(long.class, v -> c.expiredCheckSeconds = v, "--expired-check").paramLabel("SECONDS").defaultValue("3600")
                .description("Check this often for rules past their 'expires' day and open their removal workspace for review, "
                        + "as POST /api/rules/expired/workspace does; never removes a rule by itself "
                        + "(default: ${DEFAULT-VALUE}; 0: only on request)").build());
        c.spec.addOption(optional(InetSocketAddress.class, v -> c.collect = v, "--collect").paramLabel("ENDPOINT").converters(new HostPort())
                .description("Run the flow collector on this UDP address:port (such as 127.0.0.1:4739; IPFIX has no authentication, "
                        + "so use the exporters' management network or loopback); sessions go to DATA-DIR/flows.duckdb, "
                        + "tagged with the newest policy version. Default: off").build());
        c.spec.addOption(optional(Inet4Address.class, v -> c.collectMirror = v, "--collect-mirror").paramLabel("ADDR").converters(new Ipv4Literal())
                .description("Run the collector on GRE-mirrored packets sent to this IPv4 address instead (the monitor node's tunnel "
                        + "destination, one of this host's addresses; a raw socket: root), as collect --mirror does. Default: off").build());
        c.spec.addOption(option(long.class, v -> c.tokenDays = v, "--token-days").paramLabel("DAYS").defaultValue("90")
                .description("How long a new API token is valid: the default and the most a user may ask for (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(flag(v -> c.demo = v, "--demo")
                .description("Import the seed lab as the first policy version (when the server has none) and print "
            + "the web UI's address and first login").build());
        c.spec.addOption(option(long.class, v -> c.deployStepDelayMs = v, "--deploy-step-delay").paramLabel("MS").defaultValue("0").hidden(true)
                .description("Hold after each device's apply in a change control, before its result is recorded (demos and "
                        + "tests); a run another server took over does not hold").build());
        return c.spec;
    }

    @Override
    public Integer call() throws InterruptedException {
        quietLibraries();
        PrintWriter err = spec.commandLine().getErr();
        if (counterIntervalSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--counter-interval " + counterIntervalSeconds
                    + ": use 0 (off) or a number of seconds");
        }
        if (groupRefreshSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--group-refresh " + groupRefreshSeconds
                    + ": use 0 (off) or a number of seconds");
        }
        if (expiredCheckSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--expired-check " + expiredCheckSeconds
                    + ": use 0 (only on request) or a number of seconds");
        }
        if (tokenDays < 1 || tokenDays > 3650) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--token-days " + tokenDays + ": use 1-3650");
        }
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port " + port + ": use 0-65535");
        }
        if (collect.isPresent() && collectMirror.isPresent()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--collect-mirror receives GRE instead of flow "
                    + "records; it cannot go with --collect (run one of them)");
        }
        Optional<CollectorSettings> collector = collect.map(CollectorSettings::on).or(() -> collectMirror.map(CollectorSettings::mirrorTo));
        ServerConfig config = new ServerConfig(host, port, dataDir, database, !allowSelfApproval,
                Optional.ofNullable(System.getenv("SEPTUM_ADMIN_PASSWORD")).filter(p -> !p.isBlank()),
                Duration.ofMillis(deployStepDelayMs), ServerConfig.ENVIRONMENT,
                Duration.ofSeconds(counterIntervalSeconds), tls(), collector, Duration.ofDays(tokenDays),
                Duration.ofSeconds(groupRefreshSeconds), Duration.ofSeconds(expiredCheckSeconds));
        SeptumServer server;
        try {
            server = SeptumServer.start(config);
        } catch (RuntimeException e) {
            err.println("septum serve: the server could not start: " + e.getMessage());
            err.flush();
            return START_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        PrintWriter out = spec.commandLine().getOut();
        String url = (config.tls().isPresent() ? "https" : "http") + "://" + host + ":" + server.port();
        out.println("septum serve: listening on " + url + " (web UI: /, API: /api, description: /openapi.json)");
        if (demo) {
            demo(config, url, out, err);
        }
        server.collector().ifPresent(c -> out.println("septum serve: " + (collectMirror.isPresent() ? "receiving GRE mirrors to "
                + c.localAddress().getAddress().getHostAddress() : "collecting flows on udp " + c.localAddress().getAddress().getHostAddress()
                + ":" + c.localAddress().getPort()) + " into " + dataDir.resolve(FlowStore.FILE)));
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * Imports the seed lab over loopback HTTP as the admin and says how to log in: the password is
     * $SEPTUM_ADMIN_PASSWORD or the generated one in its file, whose path (never the password) is printed.
     */
    private void demo(ServerConfig config, String url, PrintWriter out, PrintWriter err) {
        if (config.tls().isPresent()) {
            err.println("septum serve: --demo imports over plain HTTP; start the demo without TLS");
            err.flush();
            return;
        }
        Path passwordFile = dataDir.resolve(SeptumServer.INITIAL_PASSWORD_FILE);
        String password;
        try {
            password = config.adminPassword().orElse(java.nio.file.Files.readString(passwordFile).strip());
        } catch (java.io.IOException e) {
            err.println("septum serve: --demo needs the admin password: set SEPTUM_ADMIN_PASSWORD, or start on a new --data-dir ("
                    + passwordFile + " is not readable: " + e.getMessage() + ")");
            err.flush();
            return;
        }
        String loopback = "http://127.0.0.1:" + url.substring(url.lastIndexOf(':') + 1);
        try {
            String what = DemoImport.run(loopback, password);
            out.println("septum serve: demo: " + (what.equals("imported") ? "imported the seed lab as version 1"
                    : "the server already has a policy; imported nothing"));
        } catch (RuntimeException e) {
            err.println("septum serve: demo: " + e.getMessage());
            err.flush();
        }
        out.println("septum serve: open " + url + "/ and log in as admin with the password "
                + (config.adminPassword().isPresent() ? "in $SEPTUM_ADMIN_PASSWORD" : "in " + passwordFile));
    }

    /** The TLS identity from the flags: PEM pair, PKCS#12 file, or none; mixing them is a usage error. */
    private Optional<TlsConfig> tls() {
        if (tlsKeystore.isPresent()) {
            if (tlsCert.isPresent() || tlsKey.isPresent()) {
                throw new ParameterException(spec.commandLine(), "use either --tls-keystore or --tls-cert with --tls-key, not both");
            }
            String password = System.getenv("SEPTUM_TLS_KEYSTORE_PASSWORD");
            if (password == null) {
                throw new ParameterException(spec.commandLine(), "--tls-keystore needs its password in $SEPTUM_TLS_KEYSTORE_PASSWORD");
            }
            return Optional.of(new TlsConfig.Pkcs12(tlsKeystore.get(), password));
        }
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together (the certificate and its private key)");
        }
        return tlsCert.map(cert -> new TlsConfig.Pem(cert, tlsKey.get()));
    }

    /** Flyway, Jetty and Javalin are chatty at info; keep their warnings, and our own info lines. */
    private static void quietLibraries() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.dev.septum", System.getProperty("org.slf4j.simpleLogger.log.dev.septum", "info"));
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }
}
