package dev.septum.verify.analysis;

import dev.septum.verify.EnforcementGaps.Segment;
import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Optional;

/**
 * The network around a policy, when a description of it exists (the CLI reads {@code lab.yaml}
 * next to the policy): the device whose policy it enforces, and the segments whose hosts reach
 * each other without crossing any enforcer.
 */
public interface Topology {
    String enforcingDevice();

    List<Segment> unenforced();

    /** The unenforced segment both addresses sit on, if any. */
    Optional<Segment> shared(IPAddress a, IPAddress b);
}
