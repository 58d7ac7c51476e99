package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.septum.builder.recommend.Recommendation;
import dev.septum.builder.recommend.RecommendationView;
import dev.septum.builder.recommend.Recommender;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Policy Builder over HTTP: a run reads the flow store's sessions and a stored version (or a
 * workspace), and answers with the same {@link Recommender} and the same JSON shape as
 * {@code septum recommend -o json}; its proposals can then become a workspace (the seed's "submit
 * rules"), whose build shows the config diff and the semantic diff as any other. A run is started
 * (202 with its id), worked on one at a time off the request threads, and polled by id until its
 * status is done or failed; the newest {@value RecommendationRuns#KEPT} are kept in the database.
 * The work is {@link Recommendations}', which the web UI's builder page calls too.
 */
final class RecommendationRoutes {
    private static final String RUN_EXAMPLE = "{\"version\": 1, \"monitor\": \"andreas-vztx\", \"categories\": [\"zone\", \"role\"], "
            + "\"into\": \"dns_ntp_services\", \"budget\": 0}";
    private static final String WORKSPACE_EXAMPLE = "{\"name\": \"dns-ntp-rules\", \"rules\": [\"wifi_clients-to-DNS_NTP_servers-DNS\"], "
            + "\"renames\": {\"wifi_clients-to-DNS_NTP_servers-DNS\": \"wifi-dns\"}}";
    private static final int MAX_CHOSEN = 10_000;

    private final Recommendations recommendations;

    RecommendationRoutes(Services s) {
        this.recommendations = new Recommendations(s);
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(POST, "/api/recommendations", Role.EDITOR, "Start a Policy Builder run on the stored sessions and a version "
                        + "(default: the newest approved) or a workspace. Answers 202 at once with the run's id, status (queued) and "
                        + "Location; poll GET /api/recommendations/{id}. One run works at a time, " + RecommendationRuns.QUEUED
                        + " may wait (then 429). Bad fields are refused here (400/409), a refusal of the policy as the run's error", this::run)
                        .withBody(RUN_EXAMPLE).accepted(),
                Endpoint.of(GET, "/api/recommendations", Role.VIEWER, "The runs kept (the newest " + RecommendationRuns.KEPT
                        + "), newest first, each with its status, policy, rule count and whether its guarantees hold", this::list),
                Endpoint.of(GET, "/api/recommendations/{id}", Role.VIEWER, "One run: status (queued, running, done, failed), progress "
                        + "and request; when done its answer as septum recommend -o json (rules with their evidence, totals, guarantees, "
                        + "probes), when failed its error (status, field, problem, fix)", this::get),
                Endpoint.of(GET, "/api/recommendations/{id}/flows", Role.VIEWER, "The per-flow view: every observed client cell, "
                        + "server cell, protocol and port, with its sessions, addresses and the proposed rule that covers it", this::flows),
                Endpoint.of(GET, "/api/recommendations/{id}/files", Role.VIEWER, "The proposal's YAML files (all of its rules)", this::files),
                Endpoint.of(POST, "/api/recommendations/{id}/workspace", Role.EDITOR, "Submit rules: a new workspace holding the run's "
                        + "version plus the chosen rules (default all), renamed as asked, with only the new groups and services they use; "
                        + "a run on a workspace adds them to that workspace instead (no name). Build it to review", this::workspace)
                        .withBody(WORKSPACE_EXAMPLE).created());
    }

    private void run(Context ctx, User caller) {
        RecommendationRuns.Run run = recommendations.start(caller, Body.parse(ctx.body(), Recommendations.RUN_FIELDS, RUN_EXAMPLE));
        ctx.header("Location", "/api/recommendations/" + run.id());
        ctx.status(202).json(view(run));
    }

    private static Map<String, Object> view(RecommendationRuns.Run run) {
        Map<String, Object> view = summary(run);
        view.put("request", run.request());
        run.recommendation().ifPresent(r -> view.putAll(RecommendationView.of(r)));
        run.failure().ifPresent(f -> view.put("error", f));
        return view;
    }

    private static Map<String, Object> summary(RecommendationRuns.Run run) {
        return Views.map("id", run.id(), "status", run.status().key(), "progress", run.progress(), "createdBy", run.createdBy(),
                "createdAt", run.createdAt(), "finishedAt", run.finishedAt().orElse(null),
                "version", run.source().version().orElse(null), "workspace", run.source().workspace().orElse(null),
                "ruleCount", run.ruleCount().orElse(null), "hold", run.holds().orElse(null));
    }

    private RecommendationRuns.Run find(Context ctx) {
        return recommendations.find(Params.id(ctx, "id"));
    }

    private void list(Context ctx, User caller) {
        ctx.json(Map.of("recommendations", recommendations.newestFirst().stream().map(RecommendationRoutes::summary).toList()));
    }

    private void get(Context ctx, User caller) {
        ctx.json(view(find(ctx)));
    }

    private void flows(Context ctx, User caller) {
        RecommendationRuns.Run run = find(ctx);
        List<Map<String, Object>> flows = new ArrayList<>();
        for (Recommendation.ProposedRule rule : recommendations.answer(run).rules()) {
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
        ctx.json(Views.map("id", run.id(), "files", recommendations.answer(run).files()));
    }

    private void workspace(Context ctx, User caller) {
        RecommendationRuns.Run run = find(ctx);
        Body body = Body.parse(ctx.body(), Set.of("name", "rules", "renames"), WORKSPACE_EXAMPLE);
        List<String> chosen = body.stringList("rules", MAX_CHOSEN, Limits.NAME, "names of the run's rules to keep");
        Map<String, String> renames = body.has("renames")
                ? body.stringMap("renames", MAX_CHOSEN, Limits.NAME, "a proposed rule's name to its new name") : Map.of();
        Recommendations.Submitted done = recommendations.submit(caller, run,
                body.optionalString("name", Limits.NAME, "name the workspace, e.g. \"dns-ntp-rules\""), chosen, renames);
        Map<String, Object> view = Views.workspace(done.workspace());
        view.put("files", done.files());
        view.put("rules", done.rules());
        ctx.status(201).json(view);
    }
}
