package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.septum.server.store.CounterStore;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import dev.septum.server.workflow.ChangeWorkflow;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the devices really hold: per-rule hit counters as time series, drift from the designed config, and its repair. */
final class DeviceRoutes {
    private final Services s;

    DeviceRoutes(Services s) {
        this.s = s;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(POST, "/api/counters/poll", Role.EDITOR,
                        "Read every target's rule counters now (nftables and EOS) and store them; devices that could not be read are listed under failed",
                        (ctx, caller) -> ctx.json(s.poller().pollAll())),
                Endpoint.of(GET, "/api/devices/{device}/counters", Role.VIEWER,
                        "A device's per-rule counters over the newest polls (?polls=N, default 10), per match oldest first", this::series),
                Endpoint.of(GET, "/api/devices/{device}/drift", Role.VIEWER,
                        "Compare what the device runs with the newest approved version's config for it (read back now)", this::drift),
                Endpoint.of(POST, "/api/devices/{device}/drift/repair", Role.APPROVER,
                        "Redeploy the newest approved version's config to this one drifted device (atomic, read back, audited); "
                                + "refused when in sync; a pending version is never deployed this way",
                        this::repair));
    }

    private void drift(Context ctx, User caller) {
        ChangeWorkflow.Drift d = s.workflow().drift(ctx.pathParam("device"));
        ctx.json(Views.map("device", d.designed().device(), "version", d.designed().version().id(), "driver", d.designed().target().driver(),
                "inSync", d.comparison().inSync(), "diff", d.diff()));
    }

    private void repair(Context ctx, User caller) {
        ChangeWorkflow.Repair r = s.workflow().repair(caller, ctx.pathParam("device"));
        ctx.json(Views.map("device", r.device(), "version", r.version(), "driver", r.driver(), "state", r.state(), "message", r.message(),
                "inSync", r.inSync()));
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
