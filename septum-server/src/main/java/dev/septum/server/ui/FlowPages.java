package dev.septum.server.ui;

import dev.septum.flows.store.QueryValues;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.flows.store.StoredSession;
import dev.septum.server.api.ApiError;
import dev.septum.server.api.Json;
import dev.septum.server.api.Kept;
import dev.septum.server.api.Services;
import dev.septum.server.build.StoredBuilds;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.Role;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The flow map (observed sessions between groups, coloured by verdict and deciding rule) and the
 * collected sessions behind it, filtered and paged, from the flow store the REST sessions route
 * reads. "Why is this allowed?" is the trace analysis of the version that tagged the sessions.
 */
final class FlowPages {
    static final int SESSIONS_PER_PAGE = 50;

    /** Policy versions whose groups' categories are kept, for a map by category. */
    private static final int VERSIONS_KEPT = 8;

    private final WebUi ui;
    private final Services s;
    private final Kept<Long, Map<String, Map<String, String>>> categories = new Kept<>(VERSIONS_KEPT);

    FlowPages(WebUi ui) {
        this.ui = ui;
        this.s = ui.services();
    }

    /** An edge of the map and the sessions page that lists its sessions. */
    public record EdgeRow(FlowMap.Edge edge, String link) {
    }

    /**
     * @param data      the graph as JSON for the chart ({@code /flows/map.json} answers the same)
     * @param truncated the window holds more sessions than the map reads
     * @param trace     where "why is this allowed?" asks: the trace page of the newest approved version
     */
    public record MapView(Chrome chrome, SessionFilter filter, FlowMap map, List<EdgeRow> edges, boolean truncated, String data,
                          Optional<String> trace) {
    }

    /** One collected session as the table shows it; {@code why} traces it on the version that tagged it. */
    public record SessionLine(String lastSeen, String client, String server, String service, String state, long packets, long bytes,
                              String clientNode, String serverNode, String verdict, String rule, String version, Optional<String> why) {
    }

    public record SessionsView(Chrome chrome, SessionFilter filter, List<SessionLine> sessions, int page, boolean more, int first,
                               String previous, String next) {
    }

    void register(WebUi.Routes routes) {
        routes.get("/flows", Role.VIEWER, this::map);
        routes.get("/flows/map.json", Role.VIEWER, (ctx, viewer) -> {
            SessionFilter filter = SessionFilter.of(ctx);
            List<StoredSession> found = read(filter, SessionFilter.READ_LIMIT);
            ctx.contentType("application/json").result(graph(filter, FlowMap.of(found, nodes(filter)),
                    found.size() == SessionFilter.READ_LIMIT));
        });
        routes.get("/flows/sessions", Role.VIEWER, this::sessions);
    }

    private void map(Context ctx, Viewer viewer) {
        SessionFilter filter = SessionFilter.of(ctx);
        List<StoredSession> found = read(filter, SessionFilter.READ_LIMIT);
        FlowMap map = FlowMap.of(found, nodes(filter));
        boolean truncated = found.size() == SessionFilter.READ_LIMIT;
        Optional<String> trace = s.policies().current().map(PolicyVersion::id).map(id -> "/versions/" + id + "/verify/trace");
        ui.render(ctx, "flows.jte", new MapView(ui.chrome(viewer, "Flow map", "flows", Optional.empty()), filter, map,
                map.edges().stream().map(e -> new EdgeRow(e, link(filter, e))).toList(), truncated, graph(filter, map, truncated), trace));
    }

    private static String link(SessionFilter filter, FlowMap.Edge e) {
        return "/flows/sessions?" + filter.query(Map.of("client", e.source(), "server", e.target(), "rule", e.rule()));
    }

    /** The map for the chart: nodes, and edges with their sessions page. */
    private static String graph(SessionFilter filter, FlowMap map, boolean truncated) {
        return Json.write(Map.of("sessions", map.sessions(), "truncated", truncated, "nodes", map.nodes(),
                "edges", map.edges().stream().map(e -> Map.of("source", e.source(), "target", e.target(), "verdict", e.verdict(),
                        "rule", e.rule(), "sessions", e.sessions(), "link", link(filter, e))).toList()));
    }

    private void sessions(Context ctx, Viewer viewer) {
        SessionFilter filter = SessionFilter.of(ctx);
        int page = page(ctx);
        int first = (page - 1) * SESSIONS_PER_PAGE;
        // the store filters all but an edge's ends; one row more than the page says whether a next page exists
        Nodes nodes = nodes(filter);
        List<StoredSession> found = read(filter, filter.edge() ? SessionFilter.READ_LIMIT
                : Math.min(SessionFilter.READ_LIMIT, first + SESSIONS_PER_PAGE + 1)).stream().filter(st -> filter.admits(st, nodes)).toList();
        List<SessionLine> lines = found.subList(Math.min(first, found.size()), Math.min(found.size(), first + SESSIONS_PER_PAGE)).stream()
                .map(st -> line(st, nodes)).toList();
        String previous = "/flows/sessions?" + filter.query(Map.of("page", String.valueOf(page - 1)));
        String next = "/flows/sessions?" + filter.query(Map.of("page", String.valueOf(page + 1)));
        ui.render(ctx, "sessions.jte", new SessionsView(ui.chrome(viewer, "Collected sessions", "flows", Optional.empty()), filter, lines,
                page, found.size() > first + SESSIONS_PER_PAGE, first + 1, previous, next));
    }

    private static int page(Context ctx) {
        String text = Optional.ofNullable(ctx.queryParam("page")).orElse("1");
        try {
            int page = Integer.parseInt(text);
            if (page >= 1 && page <= SessionFilter.READ_LIMIT / SESSIONS_PER_PAGE) {
                return page;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("page", "'" + text + "' is not a page from 1 to " + SessionFilter.READ_LIMIT / SESSIONS_PER_PAGE,
                "use page=1 for the newest sessions, or narrow the filters");
    }

    private List<StoredSession> read(SessionFilter filter, int limit) {
        try {
            return s.monitoring().store().queryTagged(filter.query(System.currentTimeMillis(), limit));
        } catch (SQLException e) {
            throw new ApiError(503, "", "the flow store " + s.monitoring().store().file() + " cannot be read now: " + e.getMessage(),
                    "retry in a moment; a flush or another process may hold the file");
        }
    }

    private Nodes nodes(SessionFilter filter) {
        return filter.by().map(key -> new Nodes(Optional.of(key), version -> versionId(version).map(id -> categories.get(id,
                () -> categoriesOf(id))).orElse(Map.of()))).orElse(Nodes.byGroup());
    }

    /** Each group's categories in a stored version; a version that is gone has none. */
    private Map<String, Map<String, String>> categoriesOf(long version) {
        if (s.policies().version(version).isEmpty()) {
            return Map.of();
        }
        PolicyBuild build = StoredBuilds.version(s.policies(), version);
        Map<String, Map<String, String>> of = new HashMap<>();
        if (build.ok()) {
            build.model().groups().forEach((name, group) -> of.put(name, group.categories()));
        }
        return of;
    }

    /** The id of the server's version a session was tagged with; {@code septum collect} tags with a directory and hash instead. */
    private static Optional<Long> versionId(String tagged) {
        return tagged.matches("\\d{1,18}") ? Optional.of(Long.parseLong(tagged)) : Optional.empty();
    }

    private static SessionLine line(StoredSession st, Nodes nodes) {
        var r = st.row();
        String proto = QueryValues.protocolName(r.protocol());
        String version = st.tags().policyVersion();
        Optional<String> why = versionId(version).isPresent() && (proto.equals("tcp") || proto.equals("udp"))
                ? Optional.of("/versions/" + version + "/verify/trace?src=" + r.clientAddr() + "&dst=" + r.serverAddr() + "&proto=" + proto
                        + "&sport=" + r.client().port() + "&dport=" + r.server().port())
                : Optional.empty();
        return new SessionLine(Instant.ofEpochMilli(r.lastMillis()).toString(), r.clientAddr() + ":" + r.client().port(),
                r.serverAddr() + ":" + r.server().port(), proto + "/" + r.server().port(), r.state().label(),
                r.clientPackets() + r.serverPackets(), r.clientOctets() + r.serverOctets(), nodes.client(st),
                nodes.server(st), FlowMap.verdict(st), FlowMap.rule(st), version, why);
    }
}
