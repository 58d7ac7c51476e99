package dev.septum.compile.pipeline;

import dev.septum.compile.nftables.NftFamily;
import dev.septum.compile.nftables.NftNames;
import dev.septum.compile.nftables.NftablesRenderer;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.Semantics;
import dev.septum.compile.render.ConfigRenderer;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import java.util.List;

/**
 * Linux nftables: stateful where every table the device enforces with tracks connections (a
 * bridge table without {@code bridge-conntrack} is as stateless as a switch). One VRF per device
 * (the ruleset hooks the host's forward path, which has no VRF), no redirect; monitored rules mirror
 * through NFLOG and {@code septum mirror-agent}.
 */
final class NftablesProfile implements PlatformProfile {
    private final NftablesRenderer renderer = new NftablesRenderer();

    @Override
    public Platform platform() {
        return Platform.NFTABLES;
    }

    @Override
    public ConfigRenderer renderer() {
        return renderer;
    }

    @Override
    public Semantics semantics(Device device) {
        boolean stateful = NftFamily.of(device).stream().allMatch(f -> f.stateful(device));
        return stateful ? Semantics.STATEFUL : Semantics.STATELESS;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(1, false, true);
    }

    /**
     * One named counter per match some table keeps: conntrack replaces a stateful table's reverse
     * forwards, a stateless bridge table keeps them. A staged match counts too (it has a counter and
     * no verdict), so polling reads what the staged rule would decide like any rule's hits.
     */
    @Override
    public List<String> counterNames(DevicePlan plan) {
        Device device = plan.device();
        return plan.trafficPolicies().stream().flatMap(tp -> tp.entries().stream())
                .filter(m -> NftFamily.of(device).stream()
                        .anyMatch(f -> (f.stateful(device) ? Semantics.STATEFUL : Semantics.STATELESS).applies(m)))
                .map(m -> NftNames.counter(m.name())).toList();
    }
}
