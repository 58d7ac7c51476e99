package dev.septum.compile.pipeline;

import dev.septum.compile.plan.Semantics;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import java.util.EnumMap;
import java.util.Map;

/** The one registry of platform profiles: every platform has exactly one. */
public final class PlatformProfiles {
    private static final Map<Platform, PlatformProfile> PROFILES = new EnumMap<>(Map.of(
            Platform.EOS, new EosProfile(),
            Platform.NFTABLES, new NftablesProfile()));

    private PlatformProfiles() {
    }

    public static PlatformProfile of(Platform platform) {
        return PROFILES.get(platform);
    }

    /** How the device decides new connections, as its platform's profile says. */
    public static Semantics semantics(Device device) {
        return of(device.platform()).semantics(device);
    }
}
