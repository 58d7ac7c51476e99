package dev.septum.compile.pipeline;

import dev.septum.compile.eos.EosRenderer;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.Semantics;
import dev.septum.compile.render.ConfigRenderer;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import java.util.List;

/** Arista EOS traffic-policies: stateless, every match counted under its own name. */
final class EosProfile implements PlatformProfile {
    private final EosRenderer renderer = new EosRenderer();

    @Override
    public Platform platform() {
        return Platform.EOS;
    }

    @Override
    public ConfigRenderer renderer() {
        return renderer;
    }

    @Override
    public Semantics semantics(Device device) {
        return Semantics.STATELESS;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, true);
    }

    @Override
    public List<String> counterNames(DevicePlan plan) {
        return plan.trafficPolicies().stream().flatMap(tp -> tp.matches().stream()).map(MatchEntry::name).toList();
    }
}
