package dev.septum.server.store;

import dev.septum.server.auth.Passwords;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The result of compiling a workspace at one revision. {@code diagnostics} and
 * {@code semanticDiff} are JSON documents made by the API layer; the store keeps them as text.
 * {@link #hash} identifies exactly what would be deployed: an approval names it, and a run
 * deploys a build only while its hash is still the approved one.
 */
public record Build(long workspaceId, long revision, boolean ok, String builtBy, String builtAt, String diagnostics,
                    String semanticDiff, List<DeviceBuild> devices, List<TargetScript> scripts) {
    public Build {
        devices = List.copyOf(devices);
        scripts = List.copyOf(scripts);
    }

    /** One device's rendered config in the workspace and its unified diff against the base version. */
    public record DeviceBuild(String device, String platform, boolean changed, String config, String configDiff) {
    }

    /**
     * What a bound target gets when its driver does not run the device's own config (a switch played
     * by an nftables namespace in a lab): rendered at build time for that driver and table family.
     */
    public record TargetScript(String device, String driver, String family, String script) {
    }

    public Optional<DeviceBuild> device(String name) {
        return devices.stream().filter(d -> d.device().equals(name)).findFirst();
    }

    public Optional<TargetScript> script(String device) {
        return scripts.stream().filter(s -> s.device().equals(device)).findFirst();
    }

    /** SHA-256 over every device's platform and config and every target script, in a fixed order, each length-prefixed. */
    public String hash() {
        StringBuilder all = new StringBuilder();
        devices.stream().sorted(Comparator.comparing(DeviceBuild::device))
                .forEach(d -> field(field(field(all.append("device\n"), d.device()), d.platform()), d.config()));
        scripts.stream().sorted(Comparator.comparing(TargetScript::device))
                .forEach(s -> field(field(field(field(all.append("script\n"), s.device()), s.driver()), s.family()), s.script()));
        return Passwords.sha256(all.toString());
    }

    private static StringBuilder field(StringBuilder b, String value) {
        return b.append(value.length()).append(':').append(value).append('\n');
    }
}
