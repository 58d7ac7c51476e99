package dev.septum.server.monitor;

import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.ChangeControlStore;
import dev.septum.server.store.CounterStore;
import dev.septum.server.store.TargetStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server's metrics in Prometheus format: HTTP request timings by route, change controls by
 * state, the embedded collector's counters, and each bound device's rule hit counters as last
 * polled. Values read from the stores are read when Prometheus scrapes, not kept twice.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TargetStore targets;
    private final CounterStore counters;
    private final MultiGauge ruleHits;

    public ServerMetrics(ChangeControlStore changeControls, TargetStore targets, CounterStore counters, Optional<EmbeddedCollector> collector) {
        this.targets = targets;
        this.counters = counters;
        for (ChangeControl.State state : ChangeControl.State.values()) {
            Gauge.builder("septum_change_controls", changeControls, store -> store.countByState().getOrDefault(state, 0L))
                    .description("Change controls in each state (succeeded, failed and rolled back are outcomes)")
                    .tag("state", state.key()).register(registry);
        }
        collector.ifPresent(c -> c.counters().keySet().forEach(name -> FunctionCounter.builder("septum_collector_" + snake(name), c,
                        col -> col.counters().getOrDefault(name, 0L))
                .description("The embedded flow collector's " + name + " counter").register(registry)));
        this.ruleHits = MultiGauge.builder("septum_rule_hits_packets").description("Packets matched by each rule's match, as last polled")
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
        return registry.scrape();
    }

    private static String snake(String name) {
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(Locale.ROOT);
    }
}
