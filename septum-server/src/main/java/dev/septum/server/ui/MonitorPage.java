package dev.septum.server.ui;

import dev.septum.server.api.Json;
import dev.septum.server.api.Services;
import dev.septum.server.monitor.RuleHits;
import dev.septum.server.store.Role;
import dev.septum.server.store.TargetStore;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Policy Monitor: each bound device's rule hit counters over its recent polls, plotted with
 * ECharts, with each match's latest count, last hit, and the matches never hit in the window.
 */
final class MonitorPage {
    static final int DEFAULT_POLLS = 60;
    static final int MAX_POLLS = 1440;

    private final WebUi ui;
    private final Services s;

    MonitorPage(WebUi ui) {
        this.ui = ui;
        this.s = ui.services();
    }

    /** @param chart the plot's data as JSON (poll times and a series per match), read by septum.js */
    public record DeviceHits(RuleHits hits, String chart) {
    }

    public record MonitorView(Chrome chrome, int polls, List<DeviceHits> devices) {
    }

    void register(WebUi.Routes routes) {
        routes.get("/monitor", Role.VIEWER, this::monitor);
    }

    private void monitor(Context ctx, Viewer viewer) {
        int polls = polls(ctx.queryParam("polls"));
        List<DeviceHits> devices = s.targets().list().stream().map(TargetStore.Target::device)
                .map(d -> RuleHits.of(d, s.counters().recent(d, polls)))
                .map(h -> new DeviceHits(h, Json.write(Map.of("at", h.polls(), "series", h.matches().stream()
                        .map(m -> Map.of("name", m.match(), "values", m.packets())).toList())))).toList();
        ui.render(ctx, "monitor.jte", new MonitorView(ui.chrome(viewer, "Policy Monitor", "monitor", Optional.empty()), polls, devices));
    }

    private static int polls(String requested) {
        try {
            return requested == null ? DEFAULT_POLLS : Math.clamp(Integer.parseInt(requested), 1, MAX_POLLS);
        } catch (NumberFormatException e) {
            return DEFAULT_POLLS;
        }
    }
}
