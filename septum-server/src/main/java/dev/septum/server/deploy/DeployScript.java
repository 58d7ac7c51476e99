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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nftables script a device's target gets, and what its tables must hold afterwards. A Linux
 * device gets its own rendering; a switch bound to an nftables target (a lab router standing in
 * for it, as {@code septum lab} does) gets its plan rendered on a Linux device of the target's
 * family.
 *
 * @param counters per table family, the counters the script declares (named ones and the owners of
 *                 region-map elements): the read-back check
 */
public record DeployScript(String device, String text, Map<String, List<String>> counters) {
    private static final Pattern TABLE = Pattern.compile("^table (\\w+) septum \\{$");
    private static final Pattern COUNTER = Pattern.compile("^\\s+counter (\\S+) \\{");
    private static final Pattern ELEMENT_COUNTER = Pattern.compile("^\\s+[^#\\s].* comment \"(c_\\S+) [^\"]*\" : \\w+,?$");

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

    /**
     * Per table family, the counters the kernel will report (as {@code NftablesDriver.counters}
     * reads them): the named ones in order, then the owners of region-map elements by name.
     */
    static Map<String, List<String>> counters(String script) {
        Map<String, List<String>> counters = new LinkedHashMap<>();
        Map<String, Set<String>> onElements = new LinkedHashMap<>();
        String family = null;
        for (String line : script.lines().toList()) {
            Matcher table = TABLE.matcher(line);
            if (table.matches()) {
                family = table.group(1);
                counters.put(family, new ArrayList<>());
                onElements.put(family, new TreeSet<>());
                continue;
            }
            if (family == null) {
                continue;
            }
            Matcher counter = COUNTER.matcher(line);
            Matcher element = ELEMENT_COUNTER.matcher(line);
            if (counter.find()) {
                counters.get(family).add(counter.group(1));
            } else if (element.find()) {
                onElements.get(family).add(element.group(1));
            }
        }
        onElements.forEach((f, names) -> counters.get(f).addAll(names));
        return counters;
    }
}
