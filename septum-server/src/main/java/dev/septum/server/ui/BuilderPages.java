package dev.septum.server.ui;

import dev.septum.builder.recommend.Recommendation;
import dev.septum.model.PolicyModel;
import dev.septum.server.api.ApiError;
import dev.septum.server.api.Body;
import dev.septum.server.api.Limits;
import dev.septum.server.api.Params;
import dev.septum.server.api.RecommendationRuns;
import dev.septum.server.api.Recommendations;
import dev.septum.server.api.Services;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.Role;
import dev.septum.server.store.Workspace;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The Policy Builder: a GET form of a run's fields (so a run is a link to share) over a version or a
 * workspace, its proposals with their evidence and the sessions it left out, and a form to submit the
 * chosen ones to a workspace. Runs and submits are {@link Recommendations}', as for the REST routes.
 */
final class BuilderPages {
    /** The form's inputs that are a run's fields as they are; {@code source} stands for version or workspace. */
    private static final List<String> INPUTS = List.of("since", "until", "monitor", "rule", "into", "policyName", "budget", "minPrecision");

    private final WebUi ui;
    private final Services s;
    private final Recommendations recommendations;

    BuilderPages(WebUi ui) {
        this.ui = ui;
        this.s = ui.services();
        this.recommendations = new Recommendations(s);
    }

    /** A version or workspace to run on: {@code v3} or {@code w5}. */
    public record Source(String key, String label) {
    }

    /** A rule that mirrors to a monitor object, and the link to the sessions it decided. */
    public record Monitored(String rule, String monitor, String sessions) {
    }

    /**
     * @param values   what the form holds, by input name
     * @param errors   a refused value's problem and fix, by input name
     * @param error    a refusal no input stands for
     */
    public record Page(Chrome chrome, List<Source> sources, String source, List<String> categoryKeys, List<String> categories,
                       List<String> boundary, List<String> policies, List<String> monitors, List<Monitored> monitored,
                       Map<String, String> values, Map<String, String> errors, Optional<ApiError> error, Optional<Result> result) {
        public String value(String input) {
            return values.getOrDefault(input, "");
        }

        public Optional<String> errorAt(String input) {
            return Optional.ofNullable(errors.get(input));
        }
    }

    /**
     * A run as the page shows it: its progress while it works (the page polls it), then its answer
     * or why it failed; {@code named} when submitting needs a workspace name (a run on a version).
     */
    public record Result(long id, String subject, String status, String progress, boolean live, Optional<Recommendation> recommendation,
                         Optional<RecommendationRuns.Failure> failure, boolean named, String csrf) {
        static Result of(RecommendationRuns.Run run, String csrf) {
            return new Result(run.id(), run.source().label(), run.status().key(), run.progress(), !run.finished(), run.recommendation(),
                    run.failure(), run.source().version().isPresent(), csrf);
        }

        public static String time(long millis) {
            return millis <= 0 ? "" : Instant.ofEpochMilli(millis).toString();
        }

        public static String figure(double value) {
            return String.format(Locale.ROOT, "%.3f", value);
        }
    }

    void register(WebUi.Routes routes) {
        // running reads every stored session and the verifier: the editor's, as POST /api/recommendations
        routes.get("/builder", Role.EDITOR, this::page);
        routes.get("/builder/runs/{id}", Role.EDITOR, (ctx, viewer) -> ui.render(ctx, "builderrun.jte",
                Result.of(recommendations.find(Params.id(ctx, "id")), ui.chrome(viewer, "Policy Builder", "builder", Optional.empty()).csrf())));
        routes.post("/builder/runs/{id}/workspace", Role.EDITOR, this::submit);
    }

    private void page(Context ctx, Viewer viewer) {
        List<Source> sources = sources();
        String source = Optional.ofNullable(ctx.queryParam("source")).filter(v -> !v.isBlank()).orElseGet(() -> s.policies().current()
                .map(v -> "v" + v.id()).orElse(sources.isEmpty() ? "" : sources.getFirst().key()));
        Map<String, List<String>> params = new HashMap<>(ctx.queryParamMap());
        params.remove("source");
        if (source.length() > 1 && source.length() < 20) {
            params.put(source.charAt(0) == 'w' ? "workspace" : "version", List.of(source.substring(1)));
        }
        Map<String, String> values = new LinkedHashMap<>();
        INPUTS.forEach(in -> values.put(in, Body.limited(in, Optional.ofNullable(ctx.queryParam(in)).orElse(""), Limits.MESSAGE)));
        Optional<PolicyModel> model = model(source);
        Map<String, String> errors = new HashMap<>();
        Optional<ApiError> error = Optional.empty();
        Chrome chrome = ui.chrome(viewer, "Policy Builder", "builder", Optional.empty());
        Optional<Result> result = Optional.ofNullable(ctx.queryParam("run")).filter(v -> !v.isBlank())
                .map(v -> Result.of(recommendations.find(runId(v)), chrome.csrf()));
        if (ctx.queryParam("generate") != null) {
            try {
                RecommendationRuns.Run run = recommendations.start(viewer.user(), Body.ofForm(params, Recommendations.RUN_FIELDS,
                        Recommendations.LIST_FIELDS, Recommendations.NUMBER_FIELDS));
                // the page of the run, with the form as it was: reloading it polls this run, it does not start another
                WebUi.seeOther(ctx, "/builder?" + withoutGenerate(ctx.queryString()) + "run=" + run.id());
                return;
            } catch (ApiError e) {
                String input = e.field().equals("version") || e.field().equals("workspace") ? "source" : e.field();
                if (values.containsKey(input) || input.equals("source") || input.equals("categories") || input.equals("boundary")) {
                    errors.put(input, e.getMessage() + ". Fix: " + e.fix());
                } else {
                    error = Optional.of(e);
                }
            }
        }
        int status = errors.isEmpty() && error.isEmpty() ? 200 : 400;
        String since = values.get("since");
        ui.render(ctx, status, "builder.jte", new Page(chrome, sources, source,
                model.map(BuilderPages::categoryKeys).orElse(List.of()), ctx.queryParams("categories"), ctx.queryParams("boundary"),
                model.map(m -> List.copyOf(m.policies().keySet())).orElse(List.of()),
                model.map(m -> List.copyOf(m.monitors().keySet())).orElse(List.of()),
                model.map(m -> monitored(m, since)).orElse(List.of()), values, errors, error, result));
    }

    private void submit(Context ctx, Viewer viewer) {
        RecommendationRuns.Run run = recommendations.find(Params.id(ctx, "id"));
        List<String> names = recommendations.answer(run).rules().stream().map(Recommendation.ProposedRule::name).toList();
        List<String> chosen = ctx.formParams("rules").stream().filter(names::contains).distinct().toList();
        if (chosen.isEmpty()) {
            throw ApiError.badRequest("rules", "none is chosen", "tick the proposals to submit, or run again");
        }
        Map<String, String> renames = new LinkedHashMap<>();
        for (String rule : chosen) {
            String renamed = Body.limited("rename " + rule, Optional.ofNullable(ctx.formParam("rename:" + rule)).orElse("").strip(), Limits.NAME);
            if (!renamed.isEmpty() && !renamed.equals(rule)) {
                renames.put(rule, renamed);
            }
        }
        Optional<String> name = Optional.ofNullable(ctx.formParam("name")).map(String::strip).filter(n -> !n.isEmpty())
                .map(n -> Body.limited("name", n, Limits.NAME));
        Workspace w = recommendations.submit(viewer.user(), run, name, chosen, renames).workspace();
        s.workflow().build(viewer.user(), w);
        WebUi.seeOther(ctx, "/workspaces/" + w.id() + "/review");
    }

    private List<Source> sources() {
        long newest = s.db().<Optional<PolicyVersion>, RuntimeException>read(PolicyStore::head).map(PolicyVersion::id).orElse(0L);
        List<Source> sources = new ArrayList<>();
        s.policies().page(Math.max(0, newest - VerifyPages.VERSIONS_LISTED), VerifyPages.VERSIONS_LISTED).reversed()
                .forEach(e -> sources.add(new Source("v" + e.getKey().id(), "version " + e.getKey().id() + " (" + e.getKey().state().key()
                        + ") " + e.getKey().message())));
        s.workspaces().openNewest(VerifyPages.VERSIONS_LISTED).forEach(w -> sources.add(new Source("w" + w.id(), "workspace " + w.name())));
        return sources;
    }

    /** The chosen version's or workspace's policy, for its category keys, policies and monitors; none when it does not load. */
    private Optional<PolicyModel> model(String source) {
        Optional<Long> id = source.length() > 1 && source.length() < 20 && source.substring(1).chars().allMatch(Character::isDigit)
                ? Optional.of(Long.parseLong(source.substring(1))) : Optional.empty();
        Optional<SortedMap<String, String>> files = id.flatMap(i -> source.charAt(0) == 'w'
                ? s.workspaces().get(i).map(w -> s.workspaces().files(i))
                : s.policies().version(i).map(v -> s.policies().files(i)));
        return files.map(PolicyFiles::load).filter(l -> !l.hasErrors()).map(l -> l.model());
    }

    private static List<String> categoryKeys(PolicyModel m) {
        TreeSet<String> keys = new TreeSet<>();
        m.groups().values().forEach(g -> keys.addAll(g.categories().keySet()));
        return List.copyOf(keys);
    }

    /** The seed's "collected sessions" of a monitored policy: each rule with a monitor object, linked to the sessions it decided. */
    private static List<Monitored> monitored(PolicyModel m, String since) {
        List<Monitored> monitored = new ArrayList<>();
        m.policies().values().forEach(p -> p.rules().stream().filter(r -> r.monitor().isPresent()).forEach(r -> monitored.add(
                new Monitored(r.name(), r.monitor().get().name(), "/flows/sessions?rule=" + url(r.name())
                        + (since.isBlank() ? "" : "&since=" + url(since))))));
        return monitored;
    }

    private static long runId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("run", "'" + Body.limited("run", text, Limits.NAME) + "' is not a number", "use a run's id from the page's link");
        }
    }

    /** The query without its generate and run parameters, ending in '&' when anything is left. */
    private static String withoutGenerate(String query) {
        StringBuilder kept = new StringBuilder();
        for (String pair : (query == null ? "" : query).split("&")) {
            if (!pair.isEmpty() && !pair.startsWith("generate=") && !pair.equals("generate") && !pair.startsWith("run=")) {
                kept.append(pair).append('&');
            }
        }
        return kept.toString();
    }

    private static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
