package dev.septum.server;

import dev.septum.server.api.Api;
import dev.septum.server.api.ExpiredSchedule;
import dev.septum.server.api.ApiError;
import dev.septum.server.api.Authenticator;
import dev.septum.server.api.BreakSets;
import dev.septum.server.api.Endpoint;
import dev.septum.server.api.Json;
import dev.septum.server.api.RecommendationRuns;
import dev.septum.server.api.Services;
import dev.septum.server.cluster.Leadership;
import dev.septum.server.db.Database;
import dev.septum.server.deploy.ChangeControlRunner;
import dev.septum.server.deploy.CounterPoller;
import dev.septum.server.deploy.NftTargets;
import dev.septum.server.deploy.NftablesDeployer;
import dev.septum.server.deploy.EapiDeployer;
import dev.septum.server.monitor.EmbeddedCollector;
import dev.septum.server.monitor.Monitoring;
import dev.septum.server.monitor.ServerMetrics;
import dev.septum.server.monitor.NewestPolicyTagger;
import dev.septum.flows.store.FlowStore;
import dev.septum.server.store.AuditLog;
import dev.septum.server.store.ChangeControlStore;
import dev.septum.server.store.CounterStore;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PushStore;
import dev.septum.server.store.RecommendationStore;
import dev.septum.server.store.Role;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.User;
import dev.septum.server.store.UserStore;
import dev.septum.server.store.WorkspaceStore;
import dev.septum.server.ui.WebUi;
import dev.septum.server.workflow.ChangeWorkflow;
import dev.septum.server.workflow.GroupRefresh;
import dev.septum.resolve.SourceResolver;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import dev.septum.server.auth.LoginThrottle;
import dev.septum.server.auth.PasswordChecks;
import io.javalin.json.JavalinJackson3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: opens (and migrates) the database, reports change controls a previous process
 * left running, makes sure an admin exists, and serves the REST API.
 */
public final class SeptumServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeptumServer.class);
    public static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
    /**
     * Below the data directory, where dynamic groups' {@code file} sources and {@code ca-file}s
     * are read; nothing else of the data directory (the database, the admin password) is reachable.
     */
    public static final String SOURCES_DIR = "sources";

    private final Database db;
    private final Javalin app;
    private final List<Long> interrupted;
    private final List<Endpoint> endpoints;
    private final CounterPoller poller;
    private final Optional<EmbeddedCollector> collector;

    private final PasswordChecks passwordChecks;
    private final GroupRefresh refresh;
    private final Leadership leadership;
    private final ExpiredSchedule expired;

    private SeptumServer(Database db, Javalin app, List<Long> interrupted, List<Endpoint> endpoints, CounterPoller poller,
                         Optional<EmbeddedCollector> collector, PasswordChecks passwordChecks, GroupRefresh refresh,
                         Leadership leadership, ExpiredSchedule expired) {
        this.leadership = leadership;
        this.refresh = refresh;
        this.expired = expired;
        this.passwordChecks = passwordChecks;
        this.poller = poller;
        this.collector = collector;
        this.db = db;
        this.app = app;
        this.interrupted = interrupted;
        this.endpoints = endpoints;
    }

    public static SeptumServer start(ServerConfig config) {
        // a bad certificate or key fails here, with its own message, before the database is touched
        config.tls().ifPresent(TlsConfig::keyStore);
        dev.septum.server.db.DataDirectory.prepare(config.dataDir());
        Database db = Database.open(config.dataDir(), config.database());
        Optional<EmbeddedCollector> collector = Optional.empty();
        PasswordChecks passwordChecks = null;
        GroupRefresh refresh = null;
        Leadership leadership = null;
        ExpiredSchedule expired = null;
        try {
            UserStore users = new UserStore(db);
            PolicyStore policies = new PolicyStore(db);
            NewestPolicyTagger tags = new NewestPolicyTagger(policies);
            FlowStore flows = new FlowStore(config.dataDir(), tags::current);
            // first: a collect address in use stops the start before change controls or users are touched
            collector = startCollector(config, flows);
            ChangeControlStore changeControls = new ChangeControlStore(db);
            TargetStore targets = new TargetStore(db);
            bootstrapAdmin(users, config);
            leadership = Leadership.of(db, config.database(), Leadership.thisNode());
            NftablesDeployer nftables = new NftablesDeployer(config.secrets());
            ChangeControlRunner runner = new ChangeControlRunner(changeControls, targets,
                    Map.of(NftTargets.LOCAL, nftables, NftTargets.SSH, nftables,
                            "eapi", new EapiDeployer(config.secrets(), Duration.ofMinutes(4))), config.deployStepDelay(), leadership);
            List<Long> interrupted = takeOverAtStart(leadership, runner);
            CounterStore counters = new CounterStore(db);
            CounterPoller poller = new CounterPoller(targets, counters, policies, config.counterInterval(), config.secrets(),
                    leadership::isLeader);
            WorkspaceStore workspaces = new WorkspaceStore(db);
            AuditLog audit = new AuditLog(db);
            PushStore pushes = new PushStore(db);
            SourceResolver sources = SourceResolver.forDirectory(config.dataDir().resolve(SOURCES_DIR), pushes::members);
            ChangeWorkflow workflow = new ChangeWorkflow(db, policies, workspaces, changeControls, targets, audit, runner, config.fourEyes(),
                    sources);
            // the services exist only once the refresh does; its auto-apply runs after both
            AtomicReference<Services> built = new AtomicReference<>();
            refresh = new GroupRefresh(db, policies, workspaces, audit, workflow, BreakSets.unattended(built::get), sources,
                    config.groupRefreshInterval(), leadership::isLeader);
            // one hashing thread: a login flood can take one core, never the request threads
            passwordChecks = new PasswordChecks(1, 16);
            Authenticator auth = new Authenticator(users, new LoginThrottle(10, 20, Duration.ofMinutes(15), 10_000), passwordChecks);
            Services services = new Services(db, users, policies, workspaces, changeControls, targets, audit,
                    runner, counters, poller, new Monitoring(flows, tags, collector), workflow, auth, config.tokenLifetime(),
                    config.tls().isPresent(), new ServerMetrics(changeControls, targets, counters, collector, policies,
                    refresh::sourceHealth, workflow.driftChecks(), leadership),
                    new RecommendationRuns(new RecommendationStore(db, Leadership.thisNode())), pushes, refresh, leadership);
            built.set(services);
            List<Endpoint> endpoints = Api.endpoints(services, version());
            // with the counter poller: the leader's job when several servers share one database
            expired = ExpiredSchedule.start(services, config.expiredInterval());
            Javalin app = javalin(config, endpoints, auth, new WebUi(services), services.metrics());
            // with TLS the only connector is the HTTPS one (added in javalin()); Javalin then adds no plain one
            app = config.tls().isPresent() ? app.start() : app.start(config.host(), config.port());
            LOG.info("Septum server on {}://{}:{} ({} database)", config.tls().isPresent() ? "https" : "http", config.host(),
                    app.port(), db.dialect().name().toLowerCase());
            return new SeptumServer(db, app, interrupted, endpoints, poller, collector, passwordChecks, refresh, leadership, expired);
        } catch (RuntimeException e) {
            if (leadership != null) {
                leadership.close();
            }
            if (refresh != null) {
                refresh.close();
            }
            if (expired != null) {
                expired.close();
            }
            collector.ifPresent(EmbeddedCollector::close);
            if (passwordChecks != null) {
                passwordChecks.close();
            }
            closeQuietly(db);
            throw e;
        }
    }

    /** The embedded collector when configured; a port in use or an unreadable store stops the start with its reason. */
    private static Optional<EmbeddedCollector> startCollector(ServerConfig config, FlowStore flows) {
        if (config.collector().isEmpty()) {
            return Optional.empty();
        }
        var settings = config.collector().get();
        try {
            return Optional.of(EmbeddedCollector.start(settings, flows));
        } catch (IOException e) {
            String address = settings.listen().getAddress().getHostAddress() + ":" + settings.listen().getPort();
            throw new UncheckedIOException("cannot receive flows on udp " + address + ": " + e.getMessage()
                    + " (is the port in use? use --collect 127.0.0.1:<other port>)", e);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot open the flow store " + flows.file() + ": " + e.getMessage()
                    + " (is a 'septum collect' using this data directory?)", e);
        }
    }

    /** The embedded collector, when the server was started with one. */
    public Optional<EmbeddedCollector> collector() {
        return collector;
    }

    private static Javalin javalin(ServerConfig config, List<Endpoint> endpoints, Authenticator auth, WebUi ui, ServerMetrics metrics) {
        return Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.concurrency.useVirtualThreads = true;
            c.jsonMapper(new JavalinJackson3(Json.MAPPER, true));
            c.http.maxRequestSize = RequestRules.MAX_BODY;
            config.tls().ifPresent(tls -> c.jetty.addConnector((server, http) -> Https.connector(server, http, tls,
                    config.host(), config.port())));
            // Jetty's own refusals (a malformed request line, a header too large) answer JSON like every route
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            for (Endpoint e : endpoints) {
                Handler handler = ctx -> {
                    User caller = e.role().map(needed -> authorize(auth.require(ctx), needed)).orElse(Api.ANONYMOUS);
                    RequestRules.checkBody(ctx, e);
                    e.action().handle(ctx, caller);
                };
                c.routes.addHttpHandler(e.method(), e.path(), handler);
                if (e.method() == HandlerType.GET) {
                    // HEAD is answered like GET, behind the same authentication
                    c.routes.addHttpHandler(HandlerType.HEAD, e.path(), handler);
                }
            }
            ui.register(c);
            c.requestLogger.http((ctx, ms) -> {
                var matched = ctx.endpoints().lastHttpEndpoint();
                metrics.request(ctx.method().name(), matched == null ? "(no route)" : matched.path, ctx.status().getCode(),
                        Duration.ofNanos((long) (ms * 1_000_000)));
            });
            c.routes.exception(ApiError.class, (error, ctx) -> error(ctx, error.status(), error.field(), error.getMessage(),
                    error.fix(), error.details()));
            c.routes.exception(HttpResponseException.class, (error, ctx) -> {
                switch (error.getStatus()) {
                    case 404 -> notARoute(ctx);
                    case 405 -> notAllowed(ctx);
                    default -> error(ctx, error.getStatus(), "(request)", RequestRules.describe(error), RequestRules.fix(error.getStatus()),
                            Map.of());
                }
            });
            c.routes.exception(Exception.class, (error, ctx) -> {
                // the stack trace goes to the log under an id; the client gets the id, never the trace
                String id = UUID.randomUUID().toString();
                LOG.error("request {} {} failed ({})", ctx.method(), ctx.path(), id, error);
                error(ctx, 500, "", "internal error " + id, "retry; if it persists, report the id from the server log", Map.of());
            });
            c.routes.error(404, ctx -> {
                // a route's own JSON or HTML answer stays; anything else is not a route
                if (ctx.result() == null || ctx.result().isEmpty() || !(ctx.result().startsWith("{") || ctx.result().startsWith("<"))) {
                    notARoute(ctx);
                }
            });
            c.routes.error(405, SeptumServer::notAllowed);
        });
    }

    private static void notARoute(Context ctx) {
        error(ctx, 404, "path", ctx.method() + " " + ctx.path() + " is not a route", "see /openapi.json for the routes", Map.of());
    }

    private static void notAllowed(Context ctx) {
        error(ctx, 405, "method", ctx.method() + " is not allowed on " + ctx.path(), "see /openapi.json for the methods of each route", Map.of());
    }

    private static User authorize(User user, Role needed) {
        if (user.role() == Role.PUSH && needed != Role.PUSH) {
            throw new ApiError(403, "Authorization", "is a push token: it may only PUT /api/groups/{name}/members for the groups it names",
                    "use a user's token (POST /api/tokens) for anything else");
        }
        if (!user.role().includes(needed)) {
            throw new ApiError(403, "", "user " + user.name() + " has role " + user.role().key() + "; this needs " + needed.key(),
                    "ask an admin for the " + needed.key() + " role, or use another user");
        }
        return user;
    }

    private static void error(Context ctx, int status, String field, String problem, String fix, Map<String, Object> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status);
        error.put("field", field);
        error.put("problem", problem);
        error.put("fix", fix);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.putAll(details);
        ctx.status(status).json(body);
    }

    /** An empty database gets one admin, so the first user can log in and create the others. */
    private static void bootstrapAdmin(UserStore users, ServerConfig config) {
        if (users.count() > 0) {
            return;
        }
        String password = config.adminPassword().orElseGet(() -> {
            String generated = dev.septum.server.auth.Passwords.randomSecret();
            Path file = config.dataDir().resolve(INITIAL_PASSWORD_FILE);
            try {
                Files.createDirectories(config.dataDir());
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, generated + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            // the path, never the password
            LOG.warn("created user 'admin'; its password is in {} (readable by this user only)", file);
            return generated;
        });
        users.create("septum", "admin", Role.ADMIN, password.toCharArray());
    }

    private static String version() {
        String v = SeptumServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public int port() {
        return app.port();
    }

    /** Change controls this start found running and took over (left by a process that stopped mid-deploy). */
    public List<Long> interruptedAtStart() {
        return interrupted;
    }

    /**
     * Tries for leadership; a server that leads at once first finishes (or rolls back) the change
     * controls a stopped leader left running, before it serves. Later, whenever it leads, it runs
     * what any server was asked to run.
     */
    private static List<Long> takeOverAtStart(Leadership leadership, ChangeControlRunner runner) {
        leadership.start();
        List<Long> takenOver = new java.util.ArrayList<>();
        for (ChangeControlRunner.Run run : runner.dispatch()) {
            if (run.claim().takenOver()) {
                LOG.warn("change control {} was running when its server stopped; this server took it over: GET /api/change-controls/{}",
                        run.claim().id(), run.claim().id());
                takenOver.add(run.claim().id());
            }
            try {
                run.thread().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while finishing change control " + run.claim().id(), e);
            }
        }
        leadership.whileLeading(epoch -> runner.dispatch());
        return takenOver;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public Javalin javalin() {
        return app;
    }

    @Override
    public void close() {
        leadership.close();
        refresh.close();
        expired.close();
        poller.close();
        app.stop();
        // after the API stops and before the database closes: live sessions are written, tagged
        collector.ifPresent(EmbeddedCollector::close);
        passwordChecks.close();
        closeQuietly(db);
    }

    private static void closeQuietly(Database db) {
        try {
            db.close();
        } catch (Exception e) {
            LOG.warn("closing the database failed", e);
        }
    }
}
