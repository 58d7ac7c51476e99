package dev.septum.server.api;

import dev.septum.compile.pipeline.PolicyBuild;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import dev.septum.compile.diff.ConfigDiff;
import dev.septum.server.build.PolicyFiles;
import dev.septum.deploy.eapi.EapiException;
import dev.septum.deploy.nftables.SshTargetException;
import dev.septum.server.deploy.DeployScript;
import dev.septum.server.deploy.DeviceDeployer;
import dev.septum.server.deploy.DeviceStep;
import dev.septum.server.store.ChangeControl;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What the devices really hold: per-rule hit counters as time series, drift from the designed config, and its repair. */
final class DeviceRoutes {
    private final Services s;
    /** Devices being repaired now: one repair per device at a time. */
    private final Set<String> repairing = ConcurrentHashMap.newKeySet();

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
                        "Compare what the device runs with the newest version's config for it (read back now)", this::drift),
                Endpoint.of(POST, "/api/devices/{device}/drift/repair", Role.APPROVER,
                        "Redeploy the newest version's config to this one drifted device (atomic, read back, audited); refused when in sync",
                        this::repair));
    }

    /** What a device should run: the newest version's config for it, rendered by its target's driver. */
    private record Designed(String device, TargetStore.Target target, PolicyVersion version, DeviceDeployer deployer,
                            DeployScript script) {
    }

    private Designed designed(String device) {
        TargetStore.Target target = s.targets().get(device).orElseThrow(() -> ApiError.notFound("a deploy target for " + device,
                "bind one with PUT /api/targets/" + device));
        PolicyVersion head = s.policies().head().orElseThrow(() -> ApiError.notFound("a policy version", "import one with POST /api/versions"));
        PolicyBuild build = PolicyFiles.build(s.policies().files(head.id()));
        build.plan(device).orElseThrow(() -> ApiError.notFound(
                "device " + device + " in version " + head.id(), "check the device name against GET /api/versions/" + head.id() + "/files"));
        DeviceDeployer deployer = s.runner().deployer(target.driver()).orElseThrow(() -> ApiError.conflict("driver",
                "this server has no driver '" + target.driver() + "'", "bind the device to one of " + s.runner().drivers()));
        return new Designed(device, target, head, deployer, deployer.render(build, device, target));
    }

    private void drift(Context ctx, User caller) {
        Designed d = designed(ctx.pathParam("device"));
        DeviceDeployer.Comparison c = readBack(d);
        List<String> diff = ConfigDiff.unified(d.device() + " (running)", c.running(), c.designed());
        ctx.json(Views.map("device", d.device(), "version", d.version().id(), "driver", d.target().driver(), "inSync", c.inSync(),
                "diff", String.join("\n", diff) + (diff.isEmpty() ? "" : "\n")));
    }

    /**
     * Puts the newest version's config back on one drifted device through the change controls' own
     * step (atomic apply, read-back, restore on a mismatch). The audit log records the repair before
     * it starts and its result after, as a change control records each device.
     */
    private void repair(Context ctx, User caller) {
        Designed d = designed(ctx.pathParam("device"));
        String device = d.device();
        s.changeControls().list().stream()
                .filter(cc -> cc.state() == ChangeControl.State.RUNNING && cc.devices().stream().anyMatch(r -> r.device().equals(device)))
                .findFirst().ifPresent(cc -> {
                    throw ApiError.conflict("device", "change control " + cc.id() + " is deploying to " + device + " now",
                            "wait until GET /api/change-controls/" + cc.id() + " is done, then check the drift again");
                });
        if (!repairing.add(device)) {
            throw ApiError.conflict("device", "a drift repair of " + device + " is already running", "wait for it to finish");
        }
        try {
            if (readBack(d).inSync()) {
                throw ApiError.conflict("device", "device " + device + " already runs version " + d.version().id()
                        + "'s config: there is no drift to repair", "nothing to do; GET /api/devices/" + device + "/drift shows the comparison");
            }
            String where = d.target().driver() + " " + d.target().address();
            s.audit().append(caller.name(), "drift.repair.start", "device " + device, "redeploying version " + d.version().id() + " to " + where);
            DeviceStep.Result result = DeviceStep.run(d.deployer(), d.target(), d.script());
            String state = switch (result) {
                case DeviceStep.Result.Succeeded ok -> ChangeControl.DeviceState.SUCCEEDED.key();
                case DeviceStep.Result.Failed f -> ChangeControl.DeviceState.FAILED.key();
                case DeviceStep.Result.RolledBack r -> ChangeControl.DeviceState.ROLLED_BACK.key();
                case DeviceStep.Result.Unknown u -> ChangeControl.DeviceState.UNKNOWN.key();
            };
            s.audit().append(caller.name(), "drift.repair", "device " + device, state + ": " + result.message());
            Map<String, Object> body = Views.map("device", device, "version", d.version().id(), "driver", d.target().driver(),
                    "state", state, "message", result.message());
            if (!(result instanceof DeviceStep.Result.Succeeded)) {
                throw new ApiError(502, "device", "the repair of " + device + " did not complete (" + state + "): " + result.message(),
                        state.equals("unknown") ? "read the device back with GET /api/devices/" + device + "/drift before trusting it"
                                : "the device is as it was; fix the cause, then repair again", body);
            }
            body.put("inSync", readBack(d).inSync());
            ctx.json(body);
        } finally {
            repairing.remove(device);
        }
    }

    /** Reads the device back; a device that cannot be read is its own clear error (502), not a server fault. */
    private static DeviceDeployer.Comparison readBack(Designed d) {
        try {
            return d.deployer().compare(d.target(), d.script());
        } catch (SshTargetException | EapiException | IllegalStateException e) {
            String message = e instanceof EapiException eapi ? eapi.describe() : e.getMessage();
            throw new ApiError(502, "device", "cannot read " + d.device() + " back: " + message,
                    "fix the device or its target (PUT /api/targets/" + d.device() + "), then retry");
        }
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
