package dev.septum.server.monitor;

import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.ChangeControlStore;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.store.CounterStore;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.TargetStore;
import dev.septum.server.workflow.DriftChecks;
import dev.septum.server.workflow.SourceHealth;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The server's metrics in Prometheus format: HTTP request timings by route, change controls by
 * state, the embedded collector's counters, each bound device's rule hit counters as last
 * polled, each bound device's drift as last checked, the days left to each expiring rule, each dynamic group source's age and
 * staleness, and whether this server leads. Values read from the stores are read when Prometheus scrapes, not kept twice.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TargetStore targets;
    private final CounterStore counters;
    private final MultiGauge ruleHits;
    private final PolicyStore policies;
    private final MultiGauge ruleExpiry;
    private final Supplier<List<SourceHealth.Row>> sources;
    private final MultiGauge sourceAge;
    private final MultiGauge sourceStale;
    private final DriftChecks driftChecks;
    private final MultiGauge drift;
    private final MultiGauge driftChecked;

    /**
     * @param sources     each dynamic group's source as its last refresh left it
     * @param driftChecks each device's last drift check on this server
     */
    public ServerMetrics(ChangeControlStore changeControls, TargetStore targets, CounterStore counters, Optional<EmbeddedCollector> collector,
                         PolicyStore policies, Supplier<List<SourceHealth.Row>> sources, DriftChecks driftChecks,
                         dev.septum.server.cluster.Leadership leadership) {
        this.targets = targets;
        this.driftChecks = driftChecks;
        this.drift = MultiGauge.builder("septum_device_drift")
                .description("1 while a bound device's last drift check found it not holding the newest approved version's config, "
                        + "0 when it held it (absent until checked on this server)").register(registry);
        this.driftChecked = MultiGauge.builder("septum_device_drift_checked_timestamp_seconds")
                .description("When a bound device was last read back by a drift check or repair (Unix time)").register(registry);
        this.sources = sources;
        this.sourceAge = MultiGauge.builder("septum_group_source_age_seconds")
                .description("Age of each dynamic group's last good answer (absent while it never answered)").register(registry);
        this.sourceStale = MultiGauge.builder("septum_group_source_stale")
                .description("1 while a dynamic group's last good answer is older than its max age (twice its refresh) or it never "
                        + "answered, else 0").register(registry);
        this.counters = counters;
        this.policies = policies;
        for (ChangeControl.State state : ChangeControl.State.values()) {
            Gauge.builder("septum_change_controls", changeControls, store -> store.countByState().getOrDefault(state, 0L))
                    .description("Change controls in each state (succeeded, failed and rolled back are outcomes)")
                    .tag("state", state.key()).register(registry);
        }
        Gauge.builder("septum_cluster_leader", leadership, l -> l.isLeader() ? 1 : 0)
                .description("1 while this server leads (runs change controls and polling), 0 while it follows")
                .tag("node", leadership.node()).register(registry);
        Gauge.builder("septum_cluster_epoch", leadership, l -> l.epoch().orElse(0))
                .description("The leader epoch this server leads under; 0 while it follows").register(registry);
        collector.ifPresent(c -> c.counters().keySet().forEach(name -> FunctionCounter.builder("septum_collector_" + snake(name), c,
                        col -> col.counters().getOrDefault(name, 0L))
                .description("The embedded flow collector's " + name + " counter").register(registry)));
        this.ruleHits = MultiGauge.builder("septum_rule_hits_packets").description("Packets matched by each rule's match, as last polled")
                .register(registry);
        this.ruleExpiry = MultiGauge.builder("septum_rule_expires_in_days")
                .description("Days until each rule of the newest approved version with 'expires' stops being meant to be in force "
                        + "(negative once expired; nothing removes it by itself)")
                .register(registry);
    }

    /** Records one answered HTTP request under its route (the path pattern, so ids do not multiply the series). */
    public void request(String method, String route, int status, Duration took) {
        Timer.builder("septum_http_requests").description("HTTP requests by route and status")
                .tags("method", method, "route", route, "status", Integer.toString(status)).register(registry).record(took);
    }

    /** The Prometheus text exposition, with the rule counters refreshed from the newest poll of each bound device. */
    public String scrape() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (TargetStore.Target t : targets.list()) {
            for (CounterStore.Sample s : counters.recent(t.device(), 1)) {
                rows.add(MultiGauge.Row.of(Tags.of("device", s.device(), "rule", s.rule(), "match", s.match()), s.packets()));
            }
        }
        ruleHits.register(rows, true);
        registerDrift(targets.list().stream().map(TargetStore.Target::device).collect(Collectors.toSet()));
        ruleExpiry.register(expiryRows(), true);
        List<SourceHealth.Row> health = sources.get();
        sourceAge.register(health.stream().filter(r -> r.age().isPresent()).<MultiGauge.Row<?>>map(r -> MultiGauge.Row.of(sourceTags(r),
                r.age().orElseThrow().toMillis() / 1000.0)).toList(), true);
        sourceStale.register(health.stream().<MultiGauge.Row<?>>map(r -> MultiGauge.Row.of(sourceTags(r), r.stale() ? 1 : 0)).toList(),
                true);
        return registry.scrape();
    }

    /** The last drift check of each device still bound to a target; the version it was compared with is a label. */
    private void registerDrift(Set<String> bound) {
        List<DriftChecks.Last> checks = driftChecks.all().stream().filter(c -> bound.contains(c.device())).toList();
        drift.register(checks.stream().<MultiGauge.Row<?>>map(c -> MultiGauge.Row.of(driftTags(c), c.inSync() ? 0 : 1)).toList(), true);
        driftChecked.register(checks.stream().<MultiGauge.Row<?>>map(c -> MultiGauge.Row.of(Tags.of("device", c.device()),
                c.at().toEpochMilli() / 1000.0)).toList(), true);
    }

    private static Tags driftTags(DriftChecks.Last c) {
        return Tags.of("device", c.device(), "version", Long.toString(c.version()));
    }

    /** Per expiring rule of the newest approved version: days from today (UTC) to its last day. */
    private List<MultiGauge.Row<?>> expiryRows() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        policies.current().ifPresent(v -> PolicyFiles.load(policies.files(v.id())).model().policies().values().forEach(p ->
                p.rules().forEach(r -> r.lifecycle().expires().ifPresent(day -> rows.add(MultiGauge.Row.of(
                        Tags.of("policy", p.name(), "rule", r.name(), "owner", r.lifecycle().owner()),
                        ChronoUnit.DAYS.between(today, day)))))));
        return rows;
    }

    private static Tags sourceTags(SourceHealth.Row r) {
        return Tags.of("group", r.group(), "source", r.source());
    }

    private static String snake(String name) {
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(Locale.ROOT);
    }
}
