package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.server.auth.Passwords;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.build.StoredBuilds;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.Role;
import dev.septum.server.store.Workspace;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.BadParameter;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.CheckAnalysis;
import dev.septum.verify.analysis.DiffAnalysis;
import dev.septum.verify.analysis.Parameters;
import dev.septum.verify.analysis.ReachAnalysis;
import dev.septum.verify.analysis.StagedAnalysis;
import dev.septum.verify.analysis.StaleAnalysis;
import dev.septum.verify.analysis.TraceAnalysis;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code trace}, {@code check}, {@code reach}, {@code diff} and {@code breakset} on a stored version or a
 * workspace: the same analysis functions as the CLI, answering with the same shape (tables of rows,
 * notes) a web page renders without knowing which analysis it shows. The network around the
 * policy ({@code lab.yaml}) is the CLI's alone, so bridge warnings and enforcement gaps are not
 * part of these answers.
 */
public final class AnalysisRoutes {
    private static final String AGAINST = "against";
    private static final String SINCE = "since";
    private static final int KEPT_ANSWERS = 32;

    private final Services s;
    private final WorkspaceWrites writes;
    /** The answers of the analyses that read the policy alone, kept: a page reloaded or shared is not analysed again. */
    private final Kept<AnswerKey, Analysis> answers = new Kept<>(KEPT_ANSWERS);

    public AnalysisRoutes(Services s) {
        this.s = s;
        this.writes = new WorkspaceWrites(s);
    }

    /** A policy to analyse: its build, its name in answers, and the version a diff compares it with by default. */
    private record Analysed(PolicyBuild build, String label, Optional<Long> comparedWith, String noComparison) {
    }

    /**
     * A policy as stored, before it is built: what its analyses read, and a digest of it all that
     * keys their kept answers (an edited workspace, a new build's resolution, a rename: a new digest).
     */
    private record Stored(String label, SortedMap<String, String> files, Optional<String> resolution, Optional<Long> comparedWith,
                          String noComparison) {
        Analysed built() {
            return new Analysed(AnalysisRoutes.built("id", label, files, StoredBuilds.replay(resolution)), label, comparedWith, noComparison);
        }

        String digest() {
            return Passwords.sha256(Json.write(List.of(label, comparedWith.map(String::valueOf).orElse(""), files, resolution.orElse(""))));
        }
    }

    /**
     * What a kept answer depends on: the analysed policy as it is (a digest), the analysis and its
     * query's values, and the day (UTC), as check's expiry findings count the days to each rule's expiry.
     */
    private record AnswerKey(String policy, String kind, SequencedMap<String, String> parameters, LocalDate day) {
    }

    /**
     * One analysis: what it reads from the query and how it runs on a policy; {@code policyAlone} when
     * it reads nothing else but the day (no sessions, no counters), so its answers may be kept.
     */
    private record Kind(String name, String summary, SequencedMap<String, String> parameters, boolean policyAlone, Runner runner) {
    }

    @FunctionalInterface
    private interface Runner {
        Analysis run(Analysed policy, Parameters parameters);
    }

    List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        for (Kind kind : kinds()) {
            all.add(endpoint("/api/versions/{id}", "a stored version", kind, this::version));
            all.add(endpoint("/api/workspaces/{id}", "a workspace (its files as they are now)", kind, this::workspace));
        }
        return all;
    }

    private List<Kind> kinds() {
        SequencedMap<String, String> diff = new LinkedHashMap<>();
        diff.put(AGAINST, "the id of the version to compare with (default: a version's parent, a workspace's base version)");
        return List.of(
                new Kind(TraceAnalysis.KIND, "Trace one packet on every enforcing device and VRF: the verdict, the deciding match "
                        + "and rule, and why each earlier match missed", TraceAnalysis.parameters(), true,
                        (p, q) -> TraceAnalysis.of(p.build(), p.label(), q, Optional.empty())),
                new Kind(CheckAnalysis.KIND, "Check every enforced traffic-policy: shadowed, redundant and overlapping rules, "
                        + "stateless exposures, empty groups, unused objects", CheckAnalysis.parameters(), true,
                        (p, q) -> CheckAnalysis.of(p.build(), p.label(), q, Optional.empty())),
                new Kind(ReachAnalysis.KIND, "The reachability matrix through one device: per pair of groups (and the outside) "
                        + "the services forwarded, in part, redirected, and all other traffic", ReachAnalysis.parameters(), true,
                        (p, q) -> ReachAnalysis.of(p.build(), p.label(), q)),
                new Kind(DiffAnalysis.KIND, "Review against another version: the packets whose verdict changes, with an example "
                        + "and the deciding matches before and after, and each device's config diff", diff, true, this::diff),
                new Kind(BreakSetAnalysis.KIND, "The stored sessions whose verdict would change against another version (newly "
                        + "blocked, allowed, redirected), grouped by groups and service with counts, first and last seen and examples",
                        breakSetParameters(diff), false, this::breakSet),
                new Kind(StagedAnalysis.KIND, "Per staged rule, the stored sessions it would decide if enforced and how many would "
                        + "change verdict; no device enforces a staged rule", windowParameters(), false,
                        (p, q) -> StagedAnalysis.of(p.build(), p.label(), BreakSets.observed(s, window(q), SINCE),
                                BreakSets.counters(s, window(q), SINCE))),
                new Kind(StaleAnalysis.KIND, "Per rule, the stored sessions it decided and its last hit, with shadowed and redundant "
                        + "findings; rules that decided none are stale, and removing them is checked against the same sessions",
                        windowParameters(), false,
                        (p, q) -> StaleAnalysis.of(p.build(), p.label(), BreakSets.observed(s, window(q), SINCE),
                                BreakSets.counters(s, window(q), SINCE))
                                .analysis()));
    }

    /** The observation window a query asks for, else the review's. */
    private static String window(Parameters q) {
        return q.get(SINCE).orElse(BreakSets.WINDOW);
    }

    private Endpoint endpoint(String base, String what, Kind kind, Function<Context, Stored> policy) {
        String path = base + "/analyses/" + kind.name();
        return Endpoint.of(GET, path, Role.VIEWER, kind.summary() + ", on " + what, (ctx, caller) -> {
            Params.only(ctx, "GET " + path, kind.parameters().keySet());
            ctx.json(run(kind, ctx, policy).tree());
        }).withQuery(kind.parameters()).answering(OpenApi.ANALYSIS);
    }

    private Analysis run(Kind kind, Context ctx, Function<Context, Stored> policy) {
        Parameters parameters = parameters(ctx, kind.parameters().keySet());
        Stored stored = policy.apply(ctx);
        Supplier<Analysis> compute = () -> {
            try {
                return kind.runner().run(stored.built(), parameters);
            } catch (BadParameter e) {
                throw ApiError.badRequest(e.parameter(), e.problem(), e.fix());
            }
        };
        return kind.policyAlone() ? answers.get(new AnswerKey(stored.digest(), kind.name(), parameters.values(),
                LocalDate.now(ZoneOffset.UTC)), compute)
                : compute.get();
    }

    /** The analyses by name, each with the query parameters it reads and what they mean (a page's form). */
    public SequencedMap<String, SequencedMap<String, String>> parameters() {
        SequencedMap<String, SequencedMap<String, String>> all = new LinkedHashMap<>();
        kinds().forEach(k -> all.put(k.name(), k.parameters()));
        return all;
    }

    /**
     * The analysis {@code kind} of the version or workspace whose id is the path parameter {@code id},
     * with the query's parameters: what {@code GET /api/versions/{id}/analyses/KIND} (or the
     * workspace's) answers, for a page that renders it. Parameters other than the analysis' own are
     * the page's and ignored here.
     */
    public Analysis run(String kind, Context ctx, boolean workspace) {
        Kind found = kinds().stream().filter(k -> k.name().equals(kind)).findFirst().orElseThrow(() -> ApiError.notFound(
                "an analysis '" + kind + "'", "use one of " + String.join(", ", parameters().keySet())));
        return run(found, ctx, workspace ? this::workspace : this::version);
    }

    /** Every parameter once, of a bounded length; what each value means is the analysis' to check. */
    private static Parameters parameters(Context ctx, Iterable<String> names) {
        SequencedMap<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            List<String> given = ctx.queryParams(name);
            if (given.size() > 1) {
                throw ApiError.badRequest(name, "is given " + given.size() + " times", "give it once");
            }
            if (!given.isEmpty()) {
                if (given.getFirst().length() > Limits.FIELD) {
                    throw ApiError.badRequest(name, "is longer than " + Limits.FIELD + " characters", "give a shorter value");
                }
                values.put(name, given.getFirst());
            }
        }
        return new Parameters(values);
    }

    private Stored version(Context ctx) {
        long id = Params.id(ctx, "id");
        PolicyVersion v = s.policies().version(id)
                .orElseThrow(() -> ApiError.notFound("version " + id, "list versions with GET /api/versions"));
        return new Stored("version " + id, s.policies().files(id), s.policies().resolution(id), v.parentId(),
                "version " + id + " is the first version and has no parent");
    }

    private Stored workspace(Context ctx) {
        Workspace w = writes.find(ctx);
        String label = "workspace " + w.name() + " (" + w.id() + ")";
        return new Stored(label, s.workspaces().files(w.id()), s.workspaces().resolution(w.id(), w.revision()), w.baseVersionId(),
                label + " has no base version");
    }

    private static SequencedMap<String, String> breakSetParameters(SequencedMap<String, String> diff) {
        SequencedMap<String, String> parameters = new LinkedHashMap<>(diff);
        parameters.put(SINCE, "only sessions last seen at or after: a duration back from now (30s, 15m, 2h, 7d) or an ISO instant "
                + "(default " + BreakSets.WINDOW + ")");
        return parameters;
    }

    private static SequencedMap<String, String> windowParameters() {
        SequencedMap<String, String> parameters = new LinkedHashMap<>();
        parameters.put(SINCE, "only sessions last seen at or after: a duration back from now or an ISO instant (default "
                + BreakSets.WINDOW + ")");
        return parameters;
    }

    private Analysis diff(Analysed policy, Parameters parameters) {
        Compared against = against(policy, parameters);
        return DiffAnalysis.of(against.build(), against.label(), policy.build(), policy.label(), true);
    }

    private Analysis breakSet(Analysed policy, Parameters parameters) {
        Compared against = against(policy, parameters);
        return BreakSetAnalysis.of(against.build(), against.label(), policy.build(), policy.label(),
                BreakSets.observed(s, parameters.get(SINCE).orElse(BreakSets.WINDOW), SINCE));
    }

    /** The version an analysis compares with, built. */
    private record Compared(PolicyBuild build, String label) {
    }

    private Compared against(Analysed policy, Parameters parameters) {
        Optional<String> given = parameters.get(AGAINST);
        long against = given.map(AnalysisRoutes::versionId).or(policy::comparedWith).orElseThrow(() -> ApiError.badRequest(AGAINST,
                "is needed: " + policy.noComparison(), "give ?against=ID, the id of a version from GET /api/versions"));
        if (s.policies().version(against).isEmpty()) {
            throw ApiError.badRequest(AGAINST, "version " + against + " does not exist", "use an id from GET /api/versions");
        }
        String label = "version " + against;
        return new Compared(built(AGAINST, label, s.policies().files(against), StoredBuilds.replay(s.policies().resolution(against))), label);
    }

    private static long versionId(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest(AGAINST, "'" + text + "' is not a version id", "give the numeric id of a version, e.g. ?against=1");
    }

    /** The build of stored files; one with errors cannot be analysed, and the answer lists them. */
    static PolicyBuild built(String field, String label, Map<String, String> files, GroupResolver snapshot) {
        PolicyBuild build = PolicyFiles.build(files, snapshot);
        if (!build.ok()) {
            throw new ApiError(400, field, label + " does not build: " + build.errors().size() + " error(s)",
                    "fix each diagnostic (file:line:col); analyses need a policy without errors",
                    Map.of("diagnostics", Views.diagnostics(build.diagnostics())));
        }
        return build;
    }
}
