package dev.septum.server.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.septum.compile.diff.ConfigDiff;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.deploy.DeviceDeployer;
import dev.septum.server.store.CounterStore;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the devices really hold: per-rule hit counters as time series, and drift from the designed config. */
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
                        "Compare what the device runs with the newest version's config for it (read back now)", this::drift));
    }

    private void drift(Context ctx, User caller) {
        String device = ctx.pathParam("device");
        TargetStore.Target target = s.targets().get(device).orElseThrow(() -> ApiError.notFound("a deploy target for " + device,
                "bind one with PUT /api/targets/" + device));
        PolicyVersion head = s.policies().head().orElseThrow(() -> ApiError.notFound("a policy version", "import one with POST /api/versions"));
        LoadedPolicy loaded = PolicyFiles.load(s.policies().files(head.id()));
        DevicePlan plan = DevicePlanner.plan(loaded.model(), device).orElseThrow(() -> ApiError.notFound(
                "device " + device + " in version " + head.id(), "check the device name against GET /api/versions/" + head.id() + "/files"));
        DeviceDeployer deployer = s.runner().deployer(target.driver()).orElseThrow(() -> ApiError.conflict("driver",
                "this server has no driver '" + target.driver() + "'", "bind the device to one of " + s.runner().drivers()));
        DeviceDeployer.Comparison c = deployer.compare(target, deployer.render(plan, target));
        List<String> diff = ConfigDiff.unified(device + " (running)", c.running(), c.designed());
        ctx.json(Views.map("device", device, "version", head.id(), "driver", target.driver(), "inSync", c.inSync(),
                "diff", String.join("\n", diff) + (diff.isEmpty() ? "" : "\n")));
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
