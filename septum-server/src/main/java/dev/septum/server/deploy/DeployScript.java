package dev.septum.server.deploy;

import dev.septum.model.validate.Diagnostic;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.DeviceBuild;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import dev.septum.model.Role;
import dev.septum.model.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nftables script a device's target gets, and what its tables must hold afterwards. A Linux
 * device gets its own rendering; a switch bound to an nftables target (a lab router standing in
 * for it, as {@code septum lab} does) gets its plan rendered on a Linux device of the target's
 * family.
 *
 * @param counters per table family, the named counters the script declares: the read-back check
 */
public record DeployScript(String device, String text, Map<String, List<String>> counters) {
    private static final Pattern TABLE = Pattern.compile("^table (\\w+) septum \\{$");
    private static final Pattern COUNTER = Pattern.compile("^\\s+counter (\\S+) \\{");

    /** The build's config of a Linux device, or a switch's plan as a Linux box of the target's family enforces it. */
    public static DeployScript of(PolicyBuild build, String device, String family) {
        DevicePlan plan = build.plan(device).orElseThrow(() -> new IllegalArgumentException("the version has no device " + device));
        Optional<DeviceBuild> onLinux = plan.device().platform() == Platform.NFTABLES ? build.device(device)
                : build.standIn(device, new Device(device, Platform.NFTABLES, Role.SWITCH, "linux", Optional.empty(),
                Optional.empty(), List.of(family), SourceLocation.of("deploy target of " + device)));
        String text = switch (onLinux.orElseThrow()) {
            case DeviceBuild.Rendered r -> r.config();
            case DeviceBuild.Refused r -> throw new IllegalArgumentException(
                    r.reasons().stream().map(Diagnostic::format).collect(java.util.stream.Collectors.joining("; ")));
        };
        return new DeployScript(device, text, counters(text));
    }

    static Map<String, List<String>> counters(String script) {
        Map<String, List<String>> counters = new LinkedHashMap<>();
        String family = null;
        for (String line : script.lines().toList()) {
            Matcher table = TABLE.matcher(line);
            if (table.matches()) {
                family = table.group(1);
                counters.put(family, new ArrayList<>());
                continue;
            }
            Matcher counter = COUNTER.matcher(line);
            if (family != null && counter.find()) {
                counters.get(family).add(counter.group(1));
            }
        }
        return counters;
    }
}
