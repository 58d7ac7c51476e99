package dev.septum.compile.pipeline;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.model.Device;
import dev.septum.model.PolicyModel;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.validate.Diagnostic;
import dev.septum.model.validate.ModelValidator;
import dev.septum.model.validate.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One policy, built once: loaded and validated, groups resolved, every device planned and
 * accepted (its config rendered when first read) or refused. Everything that needs to know what a policy means (the CLI, the lab, the
 * server's workspace builds and deploys, the verifier, the taggers) reads this record; nothing
 * else plans or renders, so what is checked is what is deployed.
 *
 * @param resolution  every group's members as this build resolved them, asked once
 * @param model       the intent with the resolution applied: what every device is planned from,
 *                    and what trace, check, diff and the taggers read ({@link #intent()} is as written)
 * @param diagnostics the loader's and validator's findings, the resolution's, then every device's refusals
 * @param devices     in the order the devices were written; empty when the model has errors
 */
public record PolicyBuild(String source, LoadedPolicy loaded, ResolutionSnapshot resolution, PolicyModel model,
                          List<DeviceBuild> devices, List<Diagnostic> diagnostics) {
    public PolicyBuild {
        devices = List.copyOf(devices);
        diagnostics = List.copyOf(diagnostics);
    }

    public static PolicyBuild of(PolicySource source) {
        return of(source, GroupResolver.STATIC);
    }

    public static PolicyBuild of(PolicySource source, GroupResolver resolver) {
        LoadedPolicy loaded = source.load();
        if (loaded.hasErrors()) {
            return new PolicyBuild(source.label(), loaded, new ResolutionSnapshot(java.time.Instant.now(), Map.of()),
                    loaded.model(), List.of(), loaded.diagnostics());
        }
        ResolutionSnapshot resolution = resolver.resolve(loaded.model());
        PolicyModel model = resolution.applyTo(loaded.model());
        List<Diagnostic> diagnostics = new ArrayList<>(loaded.diagnostics());
        diagnostics.addAll(resolution.diagnostics(loaded.model()));
        if (model != loaded.model()) {
            java.util.Set<Diagnostic> written = new java.util.HashSet<>(loaded.diagnostics());
            // what depends on members (families, derived names, empty groups) is known only now
            ModelValidator.validateResolved(model).stream().filter(d -> !written.contains(d))
                    .forEach(diagnostics::add);
        }
        if (diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR)) {
            return new PolicyBuild(source.label(), loaded, resolution, model, List.of(), diagnostics);
        }
        List<DeviceBuild> devices = new ArrayList<>();
        for (DevicePlan plan : DevicePlanner.plan(model)) {
            PlatformProfile profile = PlatformProfiles.of(plan.device().platform());
            List<Diagnostic> found = CapabilityCheck.refusals(model, plan, profile);
            DeviceBuild device = build(plan, profile, found);
            devices.add(device);
            switch (device) {
                case DeviceBuild.Refused r -> diagnostics.addAll(r.reasons());
                case DeviceBuild.Rendered r -> diagnostics.addAll(found);
            }
        }
        return new PolicyBuild(source.label(), loaded, resolution, model, devices, diagnostics);
    }

    private static DeviceBuild build(PolicyModel model, DevicePlan plan) {
        PlatformProfile profile = PlatformProfiles.of(plan.device().platform());
        return build(plan, profile, CapabilityCheck.refusals(model, plan, profile));
    }

    /** Refused when {@code found} (what {@link CapabilityCheck} reported for this plan) holds an error. */
    private static DeviceBuild build(DevicePlan plan, PlatformProfile profile, List<Diagnostic> found) {
        List<Diagnostic> refusals = found.stream().filter(d -> d.severity() == Severity.ERROR).toList();
        if (!refusals.isEmpty()) {
            return new DeviceBuild.Refused(plan, profile, refusals);
        }
        return new DeviceBuild.Rendered(plan, profile, profile.counterNames(plan));
    }

    /**
     * A device's plan as another device would enforce it: a Linux router or bridge standing in for
     * a switch (the lab, a switch bound to an nftables deploy target). Refused as the stand-in's
     * platform would refuse it.
     */
    public Optional<DeviceBuild> standIn(String device, Device standIn) {
        return plan(device).map(p -> build(model(), p.on(standIn)));
    }

    /** The intent as written: dynamic groups hold only their written prefixes. Edits start from this. */
    public PolicyModel intent() {
        return loaded.model();
    }

    /** No errors: loads, validates, and every device can enforce its plan. */
    public boolean ok() {
        return diagnostics.stream().noneMatch(d -> d.severity() == Severity.ERROR);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).toList();
    }

    public List<DevicePlan> plans() {
        return devices.stream().map(DeviceBuild::plan).toList();
    }

    public Optional<DeviceBuild> device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public Optional<DevicePlan> plan(String device) {
        return device(device).map(DeviceBuild::plan);
    }

    public PlatformProfile profile(Device device) {
        return PlatformProfiles.of(device.platform());
    }

    /** What a device is sent: enough to deploy it and to hash it. */
    public record DeviceConfig(String device, String platform, String config) {
    }

    public List<DeviceConfig> deviceConfigs() {
        return devices.stream().filter(d -> d instanceof DeviceBuild.Rendered).map(d -> (DeviceBuild.Rendered) d)
                .map(r -> new DeviceConfig(r.name(), r.profile().platform().keyword(), r.config())).toList();
    }

    /**
     * The SHA-256 of every device's name, platform and config: what a reviewer approves and a
     * deploy checks, so a config that changed after review is never deployed under its approval.
     */
    public String hash() {
        return hash(deviceConfigs());
    }

    /** The same hash over configs kept elsewhere (a stored build): order does not matter. */
    public static String hash(List<DeviceConfig> configs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (DeviceConfig d : configs.stream().sorted(Comparator.comparing(DeviceConfig::device)).toList()) {
                for (String part : List.of(d.device(), d.platform(), d.config())) {
                    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                    // length-prefixed, so no two different lists of parts hash the same bytes
                    sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                    sha.update(bytes);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
