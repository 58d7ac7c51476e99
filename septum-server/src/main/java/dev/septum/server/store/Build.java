package dev.septum.server.store;

import java.util.List;

/**
 * The result of compiling a workspace at one revision. {@code diagnostics} and
 * {@code semanticDiff} are JSON documents made by the API layer; the store keeps them as text.
 */
public record Build(long workspaceId, long revision, boolean ok, String builtBy, String builtAt, String diagnostics,
                    String semanticDiff, List<DeviceBuild> devices) {
    public Build {
        devices = List.copyOf(devices);
    }

    /** One device's rendered config in the workspace and its unified diff against the base version. */
    public record DeviceBuild(String device, String platform, boolean changed, String config, String configDiff) {
    }
}
