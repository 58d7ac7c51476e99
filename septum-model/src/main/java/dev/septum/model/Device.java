package dev.septum.model;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Optional;

/**
 * A managed device. {@code model} is the hardware model (e.g. CCS-720XP-48ZC2) and decides
 * platform quirks such as the prefix transform Strata switches need.
 */
public record Device(String name, Platform platform, Role role, String model,
                     Optional<IPAddress> management, Optional<IPAddress> loopback,
                     List<String> tags, SourceLocation at) implements PolicyObject {
    public Device {
        tags = List.copyOf(tags);
    }
}
