package dev.septum.server.deploy.eapi;

import dev.septum.compile.eos.EosRenderer;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.server.deploy.DeployScript;
import dev.septum.server.deploy.DeviceDeployer;
import dev.septum.server.store.TargetStore.Target;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Deploys EOS devices over eAPI through a configuration session ({@link EosConfigSession}). The
 * snapshot is the running traffic-policies section, so a rollback pushes it back the same way.
 * Credentials come from the server's environment (the target names the variable), never from the
 * database.
 */
public final class EapiDeployer implements DeviceDeployer {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Function<String, Optional<String>> secrets;
    private final Duration commitTimer;

    public EapiDeployer(Function<String, Optional<String>> secrets, Duration commitTimer) {
        this.secrets = secrets;
        this.commitTimer = commitTimer;
    }

    record RunningSection(String text) implements Snapshot {
    }

    @Override
    public DeployScript render(DevicePlan plan, Target target) {
        return new DeployScript(plan.name(), new EosRenderer().render(plan), Map.of());
    }

    @Override
    public Snapshot snapshot(Target target, DeployScript script) {
        return new RunningSection(client(target).run(List.of("enable", "show running-config section traffic-policies"), "text")
                .getLast().path("output").asString());
    }

    @Override
    public StepOutcome deploy(Target target, DeployScript script) {
        return outcome(target, push(target, script.text()), "committed");
    }

    @Override
    public StepOutcome restore(Target target, Snapshot snapshot) {
        return outcome(target, push(target, ((RunningSection) snapshot).text()), "restored the previous traffic-policies");
    }

    /** The traffic-policies section as rendered and as running, without separator lines. */
    @Override
    public Comparison compare(Target target, DeployScript designed) {
        String running = client(target).run(List.of("enable", "show running-config section traffic-policies"), "text")
                .getLast().path("output").asString();
        return new Comparison(section(designed.text()), section(running));
    }

    static String section(String config) {
        StringBuilder out = new StringBuilder();
        boolean inside = false;
        for (String line : config.lines().toList()) {
            if (!line.startsWith(" ")) {
                inside = line.strip().equals("traffic-policies");
            }
            if (inside && !line.isBlank() && !line.strip().equals("!")) {
                out.append(line.stripTrailing()).append('\n');
            }
        }
        return out.toString();
    }

    private EosConfigSession.Outcome push(Target target, String config) {
        String session = "septum-" + UUID.randomUUID().toString().substring(0, 8);
        return new EosConfigSession(client(target), session, commitTimer).push(config);
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

    private EapiClient client(Target target) {
        String credentials = secrets.apply(target.credentialsEnv()).orElseThrow(() -> new IllegalStateException(
                "the server's environment has no variable " + target.credentialsEnv() + " (user:password for " + target.device() + ")"));
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            throw new IllegalStateException("environment variable " + target.credentialsEnv() + " must hold user:password");
        }
        return new EapiClient(URI.create(target.address()), credentials.substring(0, colon),
                credentials.substring(colon + 1).toCharArray(),
                EapiClient.certificate(target.certificate().getBytes(StandardCharsets.US_ASCII)), TIMEOUT);
    }
}
