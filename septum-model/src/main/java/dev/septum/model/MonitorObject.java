package dev.septum.model;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * Mirrors matched traffic over GRE to monitor nodes, as an MSS monitor object does.
 *
 * @param activeTimeoutMs  flow export interval on the monitor node (MSS default 1800000)
 * @param rateLimitMbps    mirror rate limit per egress chip (MSS default 100000)
 * @param tunnelDestination the monitor node's tunnel address (its loopback)
 */
public record MonitorObject(String name, String exporterInterface, long activeTimeoutMs,
                            IPAddress tunnelDestination, String tunnelSourceInterface,
                            long rateLimitMbps, boolean truncate, List<Ref> monitorNodes,
                            SourceLocation at) implements PolicyObject {
    public static final long DEFAULT_ACTIVE_TIMEOUT_MS = 1_800_000;
    public static final long DEFAULT_RATE_LIMIT_MBPS = 100_000;

    public MonitorObject {
        monitorNodes = List.copyOf(monitorNodes);
    }
}
