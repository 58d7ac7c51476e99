package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;

import dev.septum.server.store.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every route of the server, in the order the OpenAPI document lists them. */
public final class Api {
    private Api() {
    }

    public static List<Endpoint> endpoints(Services s, String version) {
        List<Endpoint> all = new ArrayList<>();
        all.add(Endpoint.of(GET, "/api/health", null, "Liveness, the database in use, and this server's role: the leader runs "
                        + "change controls and polling, followers serve the API and UI",
                (ctx, caller) -> {
                    var cluster = s.cluster().status();
                    ctx.json(Map.of("status", "ok", "database", s.db().dialect().name().toLowerCase(java.util.Locale.ROOT),
                            "node", cluster.node(), "role", cluster.role(),
                            "leader", Map.of("node", cluster.leaderNode(), "epoch", cluster.epoch(), "since", cluster.leaderSince())));
                })
                .publicRoute());
        all.addAll(new AdminRoutes(s).endpoints());
        all.addAll(new PolicyRoutes(s).endpoints());
        all.addAll(new WorkspaceRoutes(s).endpoints());
        all.addAll(new ObjectRoutes(s).endpoints());
        all.addAll(new GroupRoutes(s).endpoints());
        all.addAll(new AnalysisRoutes(s).endpoints());
        all.addAll(new StaleRoutes(s).endpoints());
        all.addAll(new ExpiredRoutes(s).endpoints());
        all.addAll(new ChangeControlRoutes(s).endpoints());
        all.addAll(new DeviceRoutes(s).endpoints());
        all.addAll(new SessionRoutes(s.monitoring()).endpoints());
        all.addAll(new RecommendationRoutes(s).endpoints());
        all.add(Endpoint.of(GET, "/metrics", dev.septum.server.store.Role.VIEWER, "Prometheus metrics: HTTP request timings, change "
                        + "controls by state, collector counters, each bound device's rule hits as last polled (scrape with a viewer's token)",
                (ctx, caller) -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(s.metrics().scrape())));
        // the document describes itself too, so every registered route is in it
        List<Endpoint> withDoc = new ArrayList<>(all);
        var doc = new java.util.concurrent.atomic.AtomicReference<Map<String, Object>>();
        withDoc.add(Endpoint.of(GET, "/openapi.json", null, "This OpenAPI document", (ctx, caller) -> ctx.json(doc.get())).publicRoute());
        doc.set(OpenApi.document(withDoc, version));
        return withDoc;
    }

    /** The caller of a public route, who is nobody in particular. */
    public static final User ANONYMOUS = new User(0, "anonymous", dev.septum.server.store.Role.VIEWER);
}
