package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.septum.server.store.CounterStore;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Policy monitor data: per-rule hit counters read from the devices, as time series. */
final class CounterRoutes {
    private final Services s;

    CounterRoutes(Services s) {
        this.s = s;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(POST, "/api/counters/poll", Role.EDITOR, "Read every nftables target's rule counters now and store them",
                        (ctx, caller) -> ctx.json(Map.of("polled", s.poller().pollAll()))),
                Endpoint.of(GET, "/api/devices/{device}/counters", Role.VIEWER,
                        "A device's per-rule counters over the newest polls (?polls=N, default 10), per match oldest first", this::series));
    }

    private void series(Context ctx, User caller) {
        String device = ctx.pathParam("device");
        String text = ctx.queryParam("polls");
        int polls;
        try {
            polls = text == null ? 10 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("polls", "'" + text + "' is not a number", "use ?polls=10");
        }
        if (polls < 1 || polls > 10_000) {
            throw ApiError.badRequest("polls", "must be between 1 and 10000", "use ?polls=10");
        }
        Map<String, Object> series = new LinkedHashMap<>();
        for (CounterStore.Sample sample : s.counters().recent(device, polls)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> match = (Map<String, Object>) series.computeIfAbsent(sample.match(),
                    m -> Views.map("rule", sample.rule(), "samples", new ArrayList<Map<String, Object>>()));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> samples = (List<Map<String, Object>>) match.get("samples");
            samples.add(Views.map("at", sample.at(), "packets", sample.packets(), "bytes", sample.bytes()));
        }
        ctx.json(Map.of("device", device, "matches", series));
    }
}
