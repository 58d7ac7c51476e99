package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.septum.builder.recommend.ProposalSelection;
import dev.septum.builder.recommend.RecommendRefused;
import dev.septum.builder.recommend.RecommendRequest;
import dev.septum.builder.recommend.Recommendation;
import dev.septum.builder.recommend.RecommendationView;
import dev.septum.builder.recommend.Recommender;
import dev.septum.flows.store.QueryValues;
import dev.septum.flows.store.SessionQuery;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.store.Clock;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.server.store.WorkspaceStore;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;

/**
 * The Policy Builder over HTTP: a run reads the flow store's sessions and a stored version (or a
 * workspace), and answers with the same {@link Recommender} and the same JSON shape as
 * {@code septum recommend -o json}; its proposals can then become a workspace (the seed's "submit
 * rules"), whose build shows the config diff and the semantic diff as any other. Runs are
 * synchronous, one at a time, and the newest {@value RecommendationRuns#KEPT} are kept in memory.
 */
final class RecommendationRoutes {
    private static final String RUN_EXAMPLE = "{\"version\": 1, \"monitor\": \"andreas-vztx\", \"categories\": [\"zone\", \"role\"], "
            + "\"into\": \"dns_ntp_services\", \"budget\": 0}";
    private static final String WORKSPACE_EXAMPLE = "{\"name\": \"dns-ntp-rules\", \"rules\": [\"wifi_clients-to-DNS_NTP_servers-DNS\"], "
            + "\"renames\": {\"wifi_clients-to-DNS_NTP_servers-DNS\": \"wifi-dns\"}}";
    private static final Set<String> RUN_FIELDS = Set.of("version", "workspace", "categories", "boundary", "budget", "minPrecision",
            "portSlack", "since", "until", "rule", "monitor", "into", "policyName", "device", "limit");
    static final int MAX_SESSIONS = 1_000_000;
    /** Categories, boundary keys, chosen rules: more than this many is not a request a person makes. */
    private static final int MAX_LIST = 64;
    private static final int MAX_CHOSEN = 10_000;

    private final Services s;
    private final WorkspaceWrites writes;
    private final RecommendationRuns runs = new RecommendationRuns();
    /** A run holds up to a million sessions and the verifier: one at a time. */
    private final Semaphore running = new Semaphore(1);

    RecommendationRoutes(Services s) {
        this.s = s;
        this.writes = new WorkspaceWrites(s);
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(POST, "/api/recommendations", Role.EDITOR, "Run the Policy Builder on the stored sessions and a version "
                        + "(default: the newest approved) or a workspace: proposed rules with their evidence, totals, guarantees "
                        + "and probes, as septum recommend -o json; synchronous, one run at a time", this::run)
                        .withBody(RUN_EXAMPLE).created(),
                Endpoint.of(GET, "/api/recommendations", Role.VIEWER, "The runs kept (the newest " + RecommendationRuns.KEPT
                        + "), newest first, each with its policy, rule count and whether its guarantees hold", this::list),
                Endpoint.of(GET, "/api/recommendations/{id}", Role.VIEWER, "One run: its request and its answer", this::get),
                Endpoint.of(GET, "/api/recommendations/{id}/flows", Role.VIEWER, "The per-flow view: every observed client cell, "
                        + "server cell, protocol and port, with its sessions, addresses and the proposed rule that covers it", this::flows),
                Endpoint.of(GET, "/api/recommendations/{id}/files", Role.VIEWER, "The proposal's YAML files (all of its rules)", this::files),
                Endpoint.of(POST, "/api/recommendations/{id}/workspace", Role.EDITOR, "Submit rules: a new workspace holding the run's "
                        + "version plus the chosen rules (default all), renamed as asked, with only the new groups and services they use; "
                        + "a run on a workspace adds them to that workspace instead (no name). Build it to review", this::workspace)
                        .withBody(WORKSPACE_EXAMPLE).created());
    }

    private void run(Context ctx, User caller) {
        Body body = Body.parse(ctx.body(), RUN_FIELDS, RUN_EXAMPLE);
        RecommendationRuns.Source source = source(body);
        RecommendRequest request = request(body);
        long now = System.currentTimeMillis();
        int limit = body.optionalLong("limit", 1, MAX_SESSIONS, "read at most this many sessions, 1-" + MAX_SESSIONS)
                .orElse((long) MAX_SESSIONS).intValue();
        SessionQuery query = new SessionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                instant(body, "since", now), instant(body, "until", now), limit);
        if (!Files.exists(s.monitoring().store().file())) {
            throw ApiError.conflict("", "no flow store at " + s.monitoring().store().file() + ": no sessions were collected",
                    "start the server with --collect ADDR:PORT and export IPFIX to it, or run septum collect --data-dir on its data directory");
        }
        if (!running.tryAcquire()) {
            throw new ApiError(429, "", "another recommendation is running", "retry when it has finished");
        }
        Recommendation r;
        try {
            r = Recommender.recommend(source.files(), source.label(), s.monitoring().store(), query, request);
        } catch (SQLException e) {
            throw new ApiError(503, "", "the flow store " + s.monitoring().store().file() + " cannot be read now: " + e.getMessage(),
                    "retry in a moment; a flush or another process may hold the file");
        } catch (RecommendRefused e) {
            throw ApiError.badRequest("", e.getMessage(), "change the request or the policy and run again");
        } finally {
            running.release();
        }
        RecommendationRuns.Run run = runs.add(caller.name(), Clock.now(), source, requestView(request, body, limit), r);
        ctx.status(201).json(view(run));
    }

    private RecommendationRuns.Source source(Body body) {
        Optional<Long> version = body.optionalLong("version", 1, Long.MAX_VALUE, "the id of a version from GET /api/versions");
        Optional<Long> workspace = body.optionalLong("workspace", 1, Long.MAX_VALUE, "the id of a workspace from GET /api/workspaces");
        if (version.isPresent() && workspace.isPresent()) {
            throw ApiError.badRequest("workspace", "is given with version", "give either version or workspace");
        }
        if (workspace.isPresent()) {
            Workspace w = writes.find(workspace.get());
            return new RecommendationRuns.Source(Optional.empty(), Optional.of(w.id()), w.revision(), s.workspaces().files(w.id()),
                    "workspace " + w.name() + " (" + w.id() + ")");
        }
        PolicyVersion v = version.map(id -> s.policies().version(id).orElseThrow(() -> ApiError.badRequest("version",
                        "version " + id + " does not exist", "use an id from GET /api/versions")))
                .or(() -> s.policies().current())
                .orElseThrow(() -> ApiError.conflict("version", "there is no approved version yet", "import a policy with POST /api/versions"));
        return new RecommendationRuns.Source(Optional.of(v.id()), Optional.empty(), 0, s.policies().files(v.id()), "version " + v.id());
    }

    private static RecommendRequest request(Body body) {
        List<String> categories = body.stringList("categories", MAX_LIST, Limits.FIELD, "group category keys, e.g. [\"zone\", \"role\"]");
        List<String> boundary = body.stringList("boundary", MAX_LIST, Limits.FIELD, "category keys no rule may span, e.g. [\"env\"]");
        double budget = body.optionalDouble("budget", 0, 10, "β: 0 opens nothing unobserved, 0.25 a quarter more").orElse(0.0);
        double tau = body.optionalDouble("minPrecision", 0.001, 1, "τ: each rule's observed share, e.g. 0.5")
                .orElse(RecommendRequest.DEFAULT_MIN_PRECISION);
        int slack = body.optionalLong("portSlack", 0, 4096, "unobserved ports a merged range may hold, e.g. 16")
                .orElse((long) RecommendRequest.DEFAULT_PORT_SLACK).intValue();
        Optional<String> rule = body.optionalString("rule", Limits.FIELD, "a rule or match name, e.g. drop_all_else_web-app");
        Optional<String> monitor = body.optionalString("monitor", Limits.FIELD, "a monitor object's name");
        if (rule.isPresent() && monitor.isPresent()) {
            throw ApiError.badRequest("monitor", "is given with rule", "give either rule or monitor");
        }
        Optional<String> into = body.optionalString("into", Limits.NAME, "an existing policy's name");
        Optional<String> policyName = body.optionalString("policyName", Limits.NAME, "a new policy's name");
        if (into.isPresent() && policyName.isPresent()) {
            throw ApiError.badRequest("policyName", "is given with into", "give either into (an existing policy) or policyName (a new one)");
        }
        RecommendRequest.Selection selection = rule.<RecommendRequest.Selection>map(RecommendRequest.Selection.ByRule::new)
                .or(() -> monitor.map(RecommendRequest.Selection.ByMonitor::new)).orElse(new RecommendRequest.Selection.All());
        RecommendRequest.Placement placement = into.<RecommendRequest.Placement>map(RecommendRequest.Placement.Into::new)
                .orElse(new RecommendRequest.Placement.NewPolicy(policyName.orElse("recommended")));
        Optional<String> device = body.optionalString("device", Limits.NAME, "the enforcing device's name");
        try {
            return new RecommendRequest(categories, boundary, budget, tau, slack, selection, placement, device);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("", e.getMessage(), "change the value");
        }
    }

    /** The request as the run's answer repeats it. */
    private static Map<String, Object> requestView(RecommendRequest r, Body body, int limit) {
        return Views.map("categories", r.categories(), "boundary", r.boundary(), "budget", r.budget(), "minPrecision", r.minPrecision(),
                "portSlack", r.portSlack(), "selection", switch (r.selection()) {
                    case RecommendRequest.Selection.All a -> "all";
                    case RecommendRequest.Selection.ByRule x -> "rule " + x.ruleOrMatch();
                    case RecommendRequest.Selection.ByMonitor x -> "monitor " + x.monitor();
                }, "since", body.optionalString("since", Limits.FIELD, "").orElse(null),
                "until", body.optionalString("until", Limits.FIELD, "").orElse(null), "limit", limit);
    }

    private static Optional<Long> instant(Body body, String field, long now) {
        return body.optionalString(field, Limits.FIELD, "a duration back from now (30s, 15m, 2h, 7d) or an ISO instant").map(v -> {
            try {
                return QueryValues.instant(v, now);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(field, "'" + v + "' is not a time", "use a duration back from now (30s, 15m, 2h, 7d) or an ISO instant");
            }
        });
    }

    private Map<String, Object> view(RecommendationRuns.Run run) {
        Map<String, Object> view = summary(run);
        view.put("request", run.request());
        view.putAll(RecommendationView.of(run.recommendation()));
        return view;
    }

    private static Map<String, Object> summary(RecommendationRuns.Run run) {
        Recommendation r = run.recommendation();
        return Views.map("id", run.id(), "createdBy", run.createdBy(), "createdAt", run.createdAt(),
                "version", run.source().version().orElse(null), "workspace", run.source().workspace().orElse(null),
                "ruleCount", r.rules().size(), "hold", r.guarantees().hold());
    }

    private RecommendationRuns.Run find(Context ctx) {
        long id = Params.id(ctx, "id");
        return runs.get(id).orElseThrow(() -> ApiError.notFound("recommendation " + id, "runs are kept in memory (the newest "
                + RecommendationRuns.KEPT + ", until the server restarts): list them with GET /api/recommendations or run again"));
    }

    private void list(Context ctx, User caller) {
        ctx.json(Map.of("recommendations", runs.newestFirst().stream().map(RecommendationRoutes::summary).toList()));
    }

    private void get(Context ctx, User caller) {
        ctx.json(view(find(ctx)));
    }

    private void flows(Context ctx, User caller) {
        RecommendationRuns.Run run = find(ctx);
        List<Map<String, Object>> flows = new ArrayList<>();
        for (Recommendation.ProposedRule rule : run.recommendation().rules()) {
            for (Recommendation.Flow f : rule.flows()) {
                flows.add(Views.map("rule", rule.name(), "clientCell", f.clientCell(), "serverCell", f.serverCell(),
                        "protocol", f.protocol(), "port", f.port(), "sessions", f.sessions(), "clients", f.clients(),
                        "servers", f.servers(), "firstMillis", f.firstMillis(), "lastMillis", f.lastMillis(),
                        "directionConfidence", f.directionConfidence()));
            }
        }
        ctx.json(Views.map("id", run.id(), "flows", flows));
    }

    private void files(Context ctx, User caller) {
        RecommendationRuns.Run run = find(ctx);
        ctx.json(Views.map("id", run.id(), "files", run.recommendation().files()));
    }

    private void workspace(Context ctx, User caller) {
        RecommendationRuns.Run run = find(ctx);
        Body body = Body.parse(ctx.body(), Set.of("name", "rules", "renames"), WORKSPACE_EXAMPLE);
        List<String> chosen = body.stringList("rules", MAX_CHOSEN, Limits.NAME, "names of the run's rules to keep");
        Map<String, String> renames = body.has("renames")
                ? body.stringMap("renames", MAX_CHOSEN, Limits.NAME, "a proposed rule's name to its new name") : Map.of();
        SortedMap<String, String> proposal;
        try {
            proposal = ProposalSelection.files(run.source().files(), run.recommendation(), chosen, renames);
        } catch (RecommendRefused e) {
            throw ApiError.badRequest(chosen.isEmpty() ? "renames" : "rules", e.getMessage(), "name rules from GET /api/recommendations/" + run.id());
        }
        SortedMap<String, String> files = new TreeMap<>(run.source().files());
        files.putAll(proposal);
        LoadedPolicy loaded = PolicyFiles.load(files);
        if (loaded.hasErrors()) {
            throw new ApiError(400, "renames", "the chosen rules would give " + loaded.errors().size() + " error(s); nothing was stored",
                    "fix each diagnostic (a new name may clash with an existing rule) and send the request again",
                    Map.of("diagnostics", Views.diagnostics(loaded.diagnostics())));
        }
        Workspace w = run.source().workspace().isPresent() ? addTo(caller, run, body, proposal) : create(caller, run, body, files);
        Map<String, Object> view = Views.workspace(w);
        view.put("files", List.copyOf(proposal.keySet()));
        view.put("rules", chosen.isEmpty() ? run.recommendation().rules().stream().map(Recommendation.ProposedRule::name).toList() : chosen);
        ctx.status(201).json(view);
    }

    /** A new workspace on the run's version, which must still be the newest approved one (the proposal rewrites its files). */
    private Workspace create(User caller, RecommendationRuns.Run run, Body body, SortedMap<String, String> files) {
        String name = body.string("name", Limits.NAME, "name the workspace, e.g. \"dns-ntp-rules\"");
        writes.checkNewName(name);
        long version = run.source().version().orElseThrow();
        return s.db().write(h -> {
            long current = PolicyStore.current(h).map(PolicyVersion::id).orElse(-1L);
            if (current != version) {
                throw ApiError.conflict("id", "recommendation " + run.id() + " ran on version " + version + ", the newest approved is "
                        + current, "run the recommendation again on the newest version");
            }
            return WorkspaceStore.create(h, caller.name(), name, Optional.of(files));
        });
    }

    /** The rules added to the workspace the run read, if nobody changed it since. */
    private Workspace addTo(User caller, RecommendationRuns.Run run, Body body, SortedMap<String, String> proposal) {
        if (body.has("name")) {
            throw ApiError.badRequest("name", "is not used: the run was on workspace " + run.source().workspace().get()
                    + ", the rules are added to it", "leave name out");
        }
        Workspace w = WorkspaceWrites.open(writes.find(run.source().workspace().get()));
        long revision = run.source().revision();
        for (var f : proposal.entrySet()) {
            long expected = revision;
            revision = s.workspaces().writeFile(caller.name(), w.id(), expected, f.getKey(), Optional.of(f.getValue()))
                    .orElseThrow(() -> ApiError.conflict("id", "workspace " + w.id() + " changed after recommendation " + run.id()
                            + " read it (revision " + expected + ")", "run the recommendation again on the workspace as it is now"));
        }
        return writes.find(w.id());
    }
}
