package dev.septum.server.api;

import dev.septum.builder.observe.ObservedSessions;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.server.build.StoredBuilds;
import dev.septum.server.monitor.CounterWindow;
import dev.septum.flows.store.SessionSource;
import dev.septum.flows.store.QueryValues;
import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.ChangeControlBreakSets;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.server.workflow.ChangeWorkflow;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.BreakSetAnalysis;
import dev.septum.verify.analysis.RuleCounters;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The break-set on the server: the monitor node's stored sessions tested against a change, shown in
 * review ({@code GET .../analyses/breakset}) and checked at submit, where a change that alters the
 * verdict of observed sessions is refused unless the submitter acknowledges it, and the
 * acknowledgement is audited with what it acknowledged.
 */
public final class BreakSets {
    /** The observation window of review and submit unless asked otherwise. */
    static final String WINDOW = "7d";
    /** At most this many sessions, the most recent, are tested. */
    static final int LIMIT = 100_000;
    public static final String ACKNOWLEDGE = "acknowledgeBreaks";

    private BreakSets() {
    }

    /** The sessions last seen within {@code since}; an unreadable value is a 400 on {@code field}. */
    static BreakSetAnalysis.Observed observed(Services s, String since, String field) {
        long sinceMs = sinceMillis(since, field);
        try {
            return ObservedSessions.read(SessionSource.of(s.monitoring().store()), Optional.of(sinceMs), since, LIMIT);
        } catch (SQLException e) {
            throw new ApiError(503, "", "the flow store " + s.monitoring().store().file() + " cannot be read now: " + e.getMessage(),
                    "retry in a moment; a flush or another process may hold the file");
        }
    }

    /** What the polled device counters counted since {@code since}; an unreadable value is a 400 on {@code field}. */
    static RuleCounters counters(Services s, String since, String field) {
        Instant from = Instant.ofEpochMilli(sinceMillis(since, field));
        return CounterWindow.of(s.counters().since(from.toString()), from, since);
    }

    private static long sinceMillis(String since, String field) {
        try {
            return QueryValues.instant(since, System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(field, e.getMessage(), "use a duration back from now (30s, 15m, 2h, 7d) or an ISO instant");
        }
    }

    /**
     * What a workspace's submit would do to observed traffic: the sessions of the past
     * {@link #WINDOW} whose verdict differs between what the devices run (the deployed version, else
     * the workspace's base) and the workspace. Empty when the workspace has no current, successful
     * build (submit refuses it for that) or there is no version to compare with.
     */
    private static Optional<Analysis> ofSubmittable(Services s, Workspace w) {
        boolean built = s.workspaces().build(w.id()).filter(b -> b.ok() && b.revision() == w.revision()).isPresent();
        Optional<PolicyVersion> running = s.db().read(PolicyStore::deployed).or(() -> w.baseVersionId().flatMap(s.policies()::version));
        if (!built || running.isEmpty()) {
            return Optional.empty();
        }
        String beforeLabel = "version " + running.get().id();
        PolicyBuild before = AnalysisRoutes.built("files", beforeLabel, s.policies().files(running.get().id()),
                StoredBuilds.replay(s.policies().resolution(running.get().id())));
        String afterLabel = "workspace " + w.name() + " (" + w.id() + ")";
        PolicyBuild after = AnalysisRoutes.built("files", afterLabel, s.workspaces().files(w.id()),
                StoredBuilds.replay(s.workspaces().resolution(w.id(), w.revision())));
        return Optional.of(BreakSetAnalysis.of(before, beforeLabel, after, afterLabel, observed(s, WINDOW, ACKNOWLEDGE)));
    }

    /**
     * Submits {@code w} as the REST route and the web UI both do: refused (409, {@code fix} says
     * how to acknowledge) when it changes the verdict of observed sessions and {@code acknowledged}
     * is false; otherwise the break-set is kept with the change control and an acknowledgement audited.
     */
    public static ChangeControl submit(Services s, User caller, Workspace w, String message, boolean acknowledged, String fix) {
        Optional<Analysis> breaks = ofSubmittable(s, w);
        breaks.ifPresent(b -> requireAcknowledgement(b, acknowledged, w, fix));
        ChangeControl cc = s.workflow().submit(caller, w, message, breaks.map(b -> kept(b, caller)));
        breaks.ifPresent(b -> audit(s, caller, cc, b));
        return cc;
    }

    /**
     * The same gate for a workspace the workflow prepares and submits itself (a rollback's, an
     * import's): {@code fix} names that workspace, which stays open for review when refused.
     */
    public static ChangeWorkflow.Submission gate(Services s, boolean acknowledged, Function<Workspace, String> fix) {
        return (caller, w, message) -> submit(s, caller, w, message, acknowledged, fix.apply(w));
    }

    /**
     * The gate for a change no person submits (a group refresh's auto-apply): never acknowledged, so a
     * change that alters the verdict of observed sessions is refused and its workspace waits for review.
     */
    public static ChangeWorkflow.Submission unattended(Supplier<Services> s) {
        return (caller, w, message) -> submit(s.get(), caller, w, message, false, acknowledgeOverApi(w));
    }

    /** Whether a REST body acknowledges the break-set ({@value #ACKNOWLEDGE}, default false). */
    static boolean acknowledged(Body body) {
        return body.optionalBoolean(ACKNOWLEDGE, "true to submit a change that alters the verdict of observed sessions, after reviewing them")
                .orElse(false);
    }

    /** How a REST client acknowledges the break-set of workspace {@code w}. */
    static String acknowledgeOverApi(Workspace w) {
        return "review them (GET /api/workspaces/" + w.id() + "/analyses/breakset) and submit workspace " + w.id()
                + " with \"" + ACKNOWLEDGE + "\": true (POST /api/workspaces/" + w.id() + "/submit)";
    }

    /** Refuses a submit that breaks observed traffic without the submitter's acknowledgement. */
    private static void requireAcknowledgement(Analysis breakSet, boolean acknowledged, Workspace w, String fix) {
        if (!breakSet.table("breaks").rows().isEmpty() && !acknowledged) {
            throw new ApiError(409, ACKNOWLEDGE, breakSet.notes().getFirst().text() + " if workspace " + w.name() + " is applied",
                    fix, Map.of("breakset", breakSet.tree()));
        }
    }

    /** The break-set as the change control keeps it: the document, and the submitter when it breaks observed sessions. */
    private static ChangeControlBreakSets.Kept kept(Analysis breakSet, User submitter) {
        return new ChangeControlBreakSets.Kept(Json.write(breakSet.tree()),
                breakSet.table("breaks").rows().isEmpty() ? Optional.empty() : Optional.of(submitter.name()));
    }

    /** The audit line of an acknowledged break: who accepted breaking which sessions, for which change. */
    private static void audit(Services s, User caller, ChangeControl cc, Analysis breakSet) {
        if (breakSet.table("breaks").rows().isEmpty()) {
            return;
        }
        String groups = breakSet.table("breaks").rows().stream().limit(20)
                .map(r -> r.get(1) + " " + r.get(4) + " " + r.get(5) + " -> " + r.get(6) + " " + r.get(7) + " (" + r.get(8) + ")")
                .reduce((a, b) -> a + "; " + b).orElse("");
        s.audit().append(caller.name(), "acknowledge-breaks", "change-control " + cc.id(),
                breakSet.notes().getFirst().text() + ": " + groups);
    }
}
