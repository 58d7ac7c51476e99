package dev.septum.server.api;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.server.build.StoredBuilds;
import dev.septum.builder.recommend.ProposalSelection;
import dev.septum.builder.recommend.RecommendRefused;
import dev.septum.builder.recommend.RecommendRequest;
import dev.septum.builder.recommend.Recommendation;
import dev.septum.builder.recommend.Recommender;
import dev.septum.flows.store.QueryValues;
import dev.septum.flows.store.SessionQuery;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.store.RecommendationStore;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.server.store.WorkspaceStore;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Policy Builder as a service of the server: a run reads the flow store's sessions and a
 * stored version (or a workspace) and asks the same {@link Recommender} as {@code septum
 * recommend}; its chosen proposals become a workspace (the seed's "submit rules"). The REST
 * routes and the web UI both call this, with the run's fields as a {@link Body}, so a refusal
 * names the same field in the same words in either.
 */
public final class Recommendations {
    private static final Logger LOG = LoggerFactory.getLogger(Recommendations.class);
    /** The fields of a run. */
    public static final Set<String> RUN_FIELDS = Set.of("version", "workspace", "categories", "boundary", "budget", "minPrecision",
            "portSlack", "since", "until", "rule", "monitor", "into", "policyName", "device", "limit");
    /** The run's fields that are lists, and those that are numbers (a form sends them as text). */
    public static final Set<String> LIST_FIELDS = Set.of("categories", "boundary");
    public static final Set<String> NUMBER_FIELDS = Set.of("version", "workspace", "budget", "minPrecision", "portSlack", "limit");
    static final int MAX_SESSIONS = 1_000_000;
    /** Categories, boundary keys, chosen rules: more than this many is not a request a person makes. */
    private static final int MAX_LIST = 64;

    /** What a submit made: the workspace, the proposal's files written into it and the rules chosen. */
    public record Submitted(Workspace workspace, List<String> files, List<String> rules) {
    }

    private final Services s;
    private final WorkspaceWrites writes;

    public Recommendations(Services s) {
        this.s = s;
        this.writes = new WorkspaceWrites(s);
    }

    /**
     * Checks the run's fields, stores the run as queued and hands it to the one worker: the answer
     * is polled with {@link #find}. A full queue answers 429 and stores nothing.
     */
    public RecommendationRuns.Run start(User caller, Body body) {
        SortedMap<String, String> files = new TreeMap<>();
        RecommendationRuns.Source source = source(body, files);
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
        GroupResolver snapshot = snapshotOf(source);
        RecommendationRuns runs = s.recommendations();
        RecommendationStore.StoredRun stored = runs.store.add(caller.name(), source.version(), source.workspace(), source.revision(),
                source.label(), Json.write(requestView(request, body, limit)), RecommendationRuns.KEPT);
        long id = stored.id();
        boolean queued = runs.submit(() -> work(id, source, files, query, request, snapshot));
        if (!queued) {
            ApiError busy = new ApiError(429, "", "the Policy Builder has " + RecommendationRuns.QUEUED + " runs waiting",
                    "retry when one has finished (GET /api/recommendations lists them)");
            runs.store.failed(id, "refused: queue full", Json.write(RecommendationRuns.Failure.of(busy)));
            throw busy;
        }
        return find(id);
    }

    /** The run itself, on the worker: its progress and its end are stored as they happen. */
    private void work(long id, RecommendationRuns.Source source, SortedMap<String, String> files, SessionQuery query,
                      RecommendRequest request, GroupResolver snapshot) {
        RecommendationStore store = s.recommendations().store;
        try {
            store.progress(id, RecommendationStore.Status.RUNNING, "started");
            Recommendation r = Recommender.recommend(files, source.label(), s.monitoring().store(), query, request, snapshot,
                    (step, steps, what) -> store.progress(id, RecommendationStore.Status.RUNNING, "step " + step + " of " + steps + ": " + what));
            String result = Json.write(StoredResult.of(r));
            if (result.length() > RecommendationRuns.MAX_RESULT_CHARS) {
                throw new ApiError(413, "", "the proposal's answer is " + result.length() + " characters, more than the "
                        + RecommendationRuns.MAX_RESULT_CHARS + " a run keeps", "narrow the run: since/until, a rule or monitor, or coarser categories");
            }
            store.done(id, "done: " + r.rules().size() + " rules", r.rules().size(), r.guarantees().hold(), result);
        } catch (SQLException e) {
            fail(id, new ApiError(503, "", "the flow store " + s.monitoring().store().file() + " cannot be read now: " + e.getMessage(),
                    "retry in a moment; a flush or another process may hold the file"));
        } catch (RecommendRefused e) {
            fail(id, ApiError.badRequest(e.field(), e.getMessage(), "change the request or the policy and run again"));
        } catch (ApiError e) {
            fail(id, e);
        } catch (RuntimeException e) {
            LOG.error("recommendation run {} failed", id, e);
            fail(id, new ApiError(500, "", "internal error in recommendation run " + id, "retry; if it persists, report the run id from the server log"));
        }
    }

    private void fail(long id, ApiError e) {
        s.recommendations().store.failed(id, "failed", Json.write(RecommendationRuns.Failure.of(e)));
    }

    /**
     * The answer as stored: the proposal without its model objects, which a submit reads back from
     * its files ({@link ProposalSelection#objects}).
     */
    record StoredResult(List<Recommendation.ProposedRule> rules, List<Recommendation.Probe> probes, Recommendation.Totals totals,
                        Recommendation.Guarantees guarantees, SortedMap<String, String> files, List<String> newGroups,
                        List<String> newServices, Recommendation.Placement placement) {
        static StoredResult of(Recommendation r) {
            return new StoredResult(r.rules(), r.probes(), r.totals(), r.guarantees(), r.files(), r.newGroups(), r.newServices(), r.placement());
        }

        Recommendation recommendation() {
            return new Recommendation(rules, probes, totals, guarantees, files, newGroups, newServices, placement,
                    new Recommendation.Objects(List.of(), List.of(), List.of()));
        }
    }

    public RecommendationRuns.Run find(long id) {
        RecommendationStore.StoredRun run = s.recommendations().store.get(id).orElseThrow(() -> ApiError.notFound("recommendation " + id,
                "the newest " + RecommendationRuns.KEPT + " runs are kept: list them with GET /api/recommendations or run again"));
        return run(run);
    }

    /** The newest runs, without their answers. */
    public List<RecommendationRuns.Run> newestFirst() {
        return s.recommendations().newest().stream().map(Recommendations::run).toList();
    }

    @SuppressWarnings("unchecked")
    private static RecommendationRuns.Run run(RecommendationStore.StoredRun r) {
        return new RecommendationRuns.Run(r.id(), r.createdBy(), r.createdAt(), r.finishedAt(), r.status(), r.progress(),
                new RecommendationRuns.Source(r.versionId(), r.workspaceId(), r.revision(), r.label()),
                Json.MAPPER.readValue(r.request(), Map.class), r.ruleCount(), r.holds(),
                r.result().map(text -> Json.MAPPER.readValue(text, StoredResult.class).recommendation()),
                r.error().map(text -> Json.MAPPER.readValue(text, RecommendationRuns.Failure.class)));
    }

    /** A finished run's answer; a run not done yet or failed has none to act on. */
    public Recommendation answer(RecommendationRuns.Run run) {
        return run.recommendation().orElseThrow(() -> ApiError.conflict("id", "recommendation " + run.id() + " is " + run.status().key()
                + (run.failure().map(f -> ": " + f.problem()).orElse("")), run.finished() ? "run it again" : "poll GET /api/recommendations/"
                + run.id() + " until its status is done"));
    }

    /**
     * Submit rules: a new workspace named {@code name} holding the run's version plus the chosen
     * rules (all when none is chosen), renamed as asked; a run on a workspace adds them to that
     * workspace instead (and takes no name).
     */
    public Submitted submit(User caller, RecommendationRuns.Run run, Optional<String> name, List<String> chosen, Map<String, String> renames) {
        Recommendation stored = answer(run);
        run.source().workspace().ifPresent(id -> {
            // the files read now must be those the run read: the proposal was proven on them
            if (writes.find(id).revision() != run.source().revision()) {
                throw changedSince(id, run, run.source().revision());
            }
        });
        SortedMap<String, String> source = files(run.source());
        Recommendation.Objects objects = ProposalSelection.objects(source, stored).orElseThrow(() -> ApiError.conflict("id",
                "the proposal of recommendation " + run.id() + " no longer loads with " + run.source().label() + " as it is now",
                "run the recommendation again"));
        Recommendation r = new Recommendation(stored.rules(), stored.probes(), stored.totals(), stored.guarantees(), stored.files(),
                stored.newGroups(), stored.newServices(), stored.placement(), objects);
        SortedMap<String, String> proposal;
        try {
            proposal = ProposalSelection.files(source, r, chosen, renames);
        } catch (RecommendRefused e) {
            throw ApiError.badRequest(chosen.isEmpty() ? "renames" : "rules", e.getMessage(), "name rules from GET /api/recommendations/" + run.id());
        }
        SortedMap<String, String> files = new TreeMap<>(source);
        files.putAll(proposal);
        LoadedPolicy loaded = PolicyFiles.load(files);
        if (loaded.hasErrors()) {
            throw new ApiError(400, "renames", "the chosen rules would give " + loaded.errors().size() + " error(s); nothing was stored",
                    "fix each diagnostic (a new name may clash with an existing rule) and send the request again",
                    Map.of("diagnostics", Views.diagnostics(loaded.diagnostics())));
        }
        Workspace w = run.source().workspace().isPresent() ? addTo(caller, run, name, proposal) : create(caller, run, name, files);
        return new Submitted(w, List.copyOf(proposal.keySet()),
                chosen.isEmpty() ? r.rules().stream().map(Recommendation.ProposedRule::name).toList() : chosen);
    }

    /** The files a run read: its version's, or its workspace's as they are now (a submit checks the revision). */
    private SortedMap<String, String> files(RecommendationRuns.Source source) {
        return source.version().isPresent() ? s.policies().files(source.version().get()) : s.workspaces().files(source.workspace().orElseThrow());
    }

    /** The version or workspace the run reads; its files go into {@code files}. */
    private RecommendationRuns.Source source(Body body, SortedMap<String, String> files) {
        Optional<Long> version = body.optionalLong("version", 1, Long.MAX_VALUE, "the id of a version from GET /api/versions");
        Optional<Long> workspace = body.optionalLong("workspace", 1, Long.MAX_VALUE, "the id of a workspace from GET /api/workspaces");
        if (version.isPresent() && workspace.isPresent()) {
            throw ApiError.badRequest("workspace", "is given with version", "give either version or workspace");
        }
        if (workspace.isPresent()) {
            Workspace w = writes.find(workspace.get());
            files.putAll(s.workspaces().files(w.id()));
            return new RecommendationRuns.Source(Optional.empty(), Optional.of(w.id()), w.revision(), "workspace " + w.name() + " (" + w.id() + ")");
        }
        PolicyVersion v = version.map(id -> s.policies().version(id).orElseThrow(() -> ApiError.badRequest("version",
                        "version " + id + " does not exist", "use an id from GET /api/versions")))
                .or(() -> s.policies().current())
                .orElseThrow(() -> ApiError.conflict("version", "there is no approved version yet", "import a policy with POST /api/versions"));
        files.putAll(s.policies().files(v.id()));
        return new RecommendationRuns.Source(Optional.of(v.id()), Optional.empty(), 0, "version " + v.id());
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

    /** A new workspace on the run's version, which must still be the newest approved one (the proposal rewrites its files). */
    private Workspace create(User caller, RecommendationRuns.Run run, Optional<String> given, SortedMap<String, String> files) {
        String name = given.orElseThrow(() -> ApiError.badRequest("name", "is missing", "name the workspace, e.g. \"dns-ntp-rules\""));
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
    private Workspace addTo(User caller, RecommendationRuns.Run run, Optional<String> name, SortedMap<String, String> proposal) {
        if (name.isPresent()) {
            throw ApiError.badRequest("name", "is not used: the run was on workspace " + run.source().workspace().get()
                    + ", the rules are added to it", "leave name out");
        }
        Workspace w = WorkspaceWrites.open(writes.find(run.source().workspace().get()));
        long revision = run.source().revision();
        for (var f : proposal.entrySet()) {
            long expected = revision;
            revision = s.workspaces().writeFile(caller.name(), w.id(), expected, f.getKey(), Optional.of(f.getValue()))
                    .orElseThrow(() -> changedSince(w.id(), run, expected));
        }
        return writes.find(w.id());
    }

    private static ApiError changedSince(long workspace, RecommendationRuns.Run run, long revision) {
        return ApiError.conflict("id", "workspace " + workspace + " changed after recommendation " + run.id() + " read it (revision "
                + revision + ")", "run the recommendation again on the workspace as it is now");
    }

    /** The members the source's policy was built with, replayed: a run never asks a group's source again. */
    private GroupResolver snapshotOf(RecommendationRuns.Source source) {
        return StoredBuilds.replay(source.version().isPresent()
                ? s.policies().resolution(source.version().get())
                : s.workspaces().resolution(source.workspace().orElseThrow(), source.revision()));
    }
}
