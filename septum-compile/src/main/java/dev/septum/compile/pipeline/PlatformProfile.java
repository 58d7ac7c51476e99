package dev.septum.compile.pipeline;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.Semantics;
import dev.septum.compile.render.ConfigRenderer;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import java.util.List;

/**
 * Everything that differs between platforms, in one place: how a plan becomes config, how the
 * device applies it, which names its counters carry, and what it cannot do. Adding a platform
 * adds one profile (and its golden files); nothing else asks which platform a device is.
 */
public interface PlatformProfile {
    Platform platform();

    ConfigRenderer renderer();

    /** Whether the device decides new connections statelessly (EOS) or with connection tracking. */
    Semantics semantics(Device device);

    Capabilities capabilities();

    /** The names the device reports per-match hit counts under, in the order of the rendered config. */
    List<String> counterNames(DevicePlan plan);

    /**
     * Why this device cannot keep the traffic-policies of its plan's VRFs apart, each with its fix;
     * empty when it can (EOS binds one per VRF; nftables tells them apart by input interface).
     */
    default List<Limit> vrfLimits(DevicePlan plan) {
        return List.of();
    }

    /**
     * Why this device cannot redirect as {@code redirect} asks, with the fix; empty when it can. Asked
     * only of platforms whose {@link Capabilities#redirect} is true.
     */
    default java.util.Optional<Limit> redirectLimit(DevicePlan plan, dev.septum.compile.plan.MatchAction.Redirect redirect) {
        return java.util.Optional.empty();
    }

    /** What a platform can enforce; a plan that needs more is refused by {@link CapabilityCheck}. */
    record Capabilities(boolean redirect, boolean mirror) {
    }

    /** A need of the plan the device cannot meet, and what to change. */
    record Limit(String problem, String fix) {
    }
}
