package dev.septum.server.deploy;

import dev.septum.model.validate.Diagnostic;
import dev.septum.model.Platform;
import dev.septum.compile.pipeline.DeviceBuild;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.deploy.eapi.EapiDriver;
import dev.septum.deploy.eapi.EapiTarget;
import dev.septum.deploy.eapi.EosConfigSession;
import dev.septum.server.store.TargetStore.Target;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Deploys EOS devices through {@link EapiDriver} (a configuration session with a commit timer,
 * confirmed after a read-back). The snapshot is the running traffic-policies section, so a
 * rollback pushes it back the same way. Credentials come from the server's environment (the
 * target names the variable), never from the database.
 */
public final class EapiDeployer implements DeviceDeployer {
    public static final String DRIVER = "eapi";

    private final Function<String, Optional<String>> secrets;
    private final Duration commitTimer;

    public EapiDeployer(Function<String, Optional<String>> secrets, Duration commitTimer) {
        this.secrets = secrets;
        this.commitTimer = commitTimer;
    }

    record RunningSection(String text) implements Snapshot {
    }

    @Override
    public DeployScript render(PolicyBuild build, String device, Target target) {
        return switch (build.device(device).orElseThrow(() -> new IllegalArgumentException("the version has no device " + device))) {
            case DeviceBuild.Rendered r when r.profile().platform() == Platform.EOS -> new DeployScript(device, r.config(), Map.of());
            case DeviceBuild.Rendered r -> throw new IllegalArgumentException("device " + device + " is a "
                    + r.profile().platform().keyword() + " device, not EOS; bind it to a target of its own platform");
            case DeviceBuild.Refused r -> throw new IllegalArgumentException(
                    r.reasons().stream().map(Diagnostic::format).collect(java.util.stream.Collectors.joining("; ")));
        };
    }

    @Override
    public Snapshot snapshot(Target target, DeployScript script) {
        return new RunningSection(driver(target, secrets).runningSection());
    }

    @Override
    public StepOutcome deploy(Target target, DeployScript script) {
        return outcome(target, driver(target, secrets).push(script.text(), commitTimer), "committed");
    }

    @Override
    public StepOutcome restore(Target target, Snapshot snapshot) {
        return outcome(target, driver(target, secrets).push(((RunningSection) snapshot).text(), commitTimer),
                "restored the previous traffic-policies");
    }

    /** The traffic-policies section as rendered and as running, without separator lines. */
    @Override
    public Comparison compare(Target target, DeployScript designed) {
        return new Comparison(EapiDriver.section(designed.text()), EapiDriver.section(driver(target, secrets).runningSection()));
    }

    /** The driver for a stored eAPI target; {@code secrets} resolves its credentials variable. */
    public static EapiDriver driver(Target target, Function<String, Optional<String>> secrets) {
        return new EapiDriver(new EapiTarget(target.device(), URI.create(target.address()), target.certificate(),
                target.credentialsEnv()), name -> secrets.apply(name).orElse(null));
    }

    private static StepOutcome outcome(Target target, EosConfigSession.Outcome outcome, String done) {
        return switch (outcome) {
            case EosConfigSession.Outcome.Committed c -> new StepOutcome.Done(done + " on " + target.address() + " ("
                    + c.lines() + " lines, confirmed after read-back); session diff: " + c.diff().lines().count() + " lines");
            case EosConfigSession.Outcome.Aborted a -> new StepOutcome.Refused("aborted at " + a.stage() + " on " + target.address()
                    + "; the running config is unchanged: " + a.reason());
            case EosConfigSession.Outcome.Unknown u -> throw new IllegalStateException(u.reason());
        };
    }
}
