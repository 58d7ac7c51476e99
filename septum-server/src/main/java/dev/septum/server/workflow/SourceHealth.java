package dev.septum.server.workflow;

import dev.septum.compile.pipeline.ResolutionSnapshot;
import dev.septum.compile.pipeline.ResolutionSnapshot.ResolvedGroup;
import dev.septum.model.Group;
import dev.septum.model.GroupSource;
import dev.septum.model.PolicyModel;
import dev.septum.server.store.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How current each dynamic group of the newest approved version is, as its last refresh left it.
 * A source is <b>stale</b> once its last good answer is older than its max age, twice its
 * {@code refresh} (a DNS source: twice its {@code max-refresh}), so it has missed at least one
 * refresh; a group that never answered is stale too. A push group has no max age: pushes come
 * when the pusher has something to say. Becoming stale and recovering are audited (and logged)
 * once each; /metrics and the dashboard read {@link #rows()}.
 */
public final class SourceHealth {
    private static final Logger LOG = LoggerFactory.getLogger(SourceHealth.class);

    private final AuditLog audit;
    private final Clock clock;
    private Map<String, Asked> latest = Map.of();
    private final Set<String> stale = new TreeSet<>();

    private record Asked(ResolvedGroup resolved, Optional<Duration> maxAge) {
    }

    /**
     * One group's source as of {@code now}.
     *
     * @param lastGood when its members were last answered; empty when it never answered
     * @param problem  why the last attempt failed, when it did
     */
    public record Row(String group, String source, Optional<Instant> lastGood, Optional<Duration> maxAge,
                      Optional<String> problem, Instant now) {
        public Optional<Duration> age() {
            return lastGood.map(at -> Duration.between(at, now));
        }

        public boolean stale() {
            return maxAge.isPresent() && age().map(a -> a.compareTo(maxAge.get()) > 0).orElse(true);
        }

        /** {@code ok}, {@code failing} (the last attempt failed, the members are still young enough), {@code stale} or {@code never}. */
        public String health() {
            return lastGood.isEmpty() ? "never" : stale() ? "stale" : problem.isPresent() ? "failing" : "ok";
        }
    }

    SourceHealth(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** The answers a refresh (or, at start, the newest approved version's stored snapshot) gave the model's dynamic groups. */
    synchronized void update(PolicyModel model, ResolutionSnapshot snapshot) {
        Map<String, Asked> now = new LinkedHashMap<>();
        for (Group g : model.groups().values()) {
            if (g.dynamic()) {
                snapshot.group(g.name()).ifPresent(r -> now.put(g.name(), new Asked(r, maxAge(g.source().orElseThrow()))));
            }
        }
        latest = now;
        stale.retainAll(now.keySet());
    }

    private static Optional<Duration> maxAge(GroupSource source) {
        return source.refresh().isZero() ? Optional.empty() : Optional.of(source.refresh().multipliedBy(2));
    }

    public synchronized List<Row> rows() {
        Instant now = clock.instant();
        List<Row> rows = new ArrayList<>();
        latest.forEach((group, asked) -> rows.add(new Row(group, asked.resolved().source(), asked.resolved().resolvedAt(),
                asked.maxAge(), asked.resolved().problem(), now)));
        return rows;
    }

    /** Audits each group that became stale, or recovered, since the last check. */
    synchronized void check() {
        for (Row row : rows()) {
            String object = "group " + row.group();
            if (row.stale() && stale.add(row.group())) {
                String detail = row.source() + " source: " + row.age().map(a -> "last good answer " + a.toSeconds() + "s old")
                        .orElse("never answered") + ", more than its max age " + row.maxAge().orElseThrow().toSeconds() + "s"
                        + row.problem().map(p -> "; last failure: " + p).orElse("");
                LOG.warn("{} is stale: {}", object, detail);
                audit.append(GroupRefresh.ACTOR, "groups.source.stale", object, detail);
            } else if (!row.stale() && stale.remove(row.group())) {
                LOG.info("{} answered again", object);
                audit.append(GroupRefresh.ACTOR, "groups.source.recovered", object, row.source() + " source answered again; "
                        + "its members are " + row.age().map(Duration::toSeconds).orElse(0L) + "s old");
            }
        }
    }
}
