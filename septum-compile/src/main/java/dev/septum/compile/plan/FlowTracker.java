package dev.septum.compile.plan;

import java.util.List;

/**
 * What a monitor node runs: a flow tracker on one GRE tunnel per switch, exporting IPFIX to the
 * on-box collector every {@code activeTimeoutMs}.
 */
public record FlowTracker(long activeTimeoutMs, String exporterInterface, List<MonitorTunnel> tunnels) {
    public FlowTracker {
        tunnels = List.copyOf(tunnels);
    }
}
