package dev.septum.server.deploy;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.server.store.Build;
import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.ChangeControl.DeviceResult;
import dev.septum.server.store.ChangeControl.DeviceState;
import dev.septum.server.cluster.Leadership;
import dev.septum.server.store.ChangeControlStore;
import dev.septum.server.store.ChangeControlStore.Claim;
import dev.septum.server.store.ChangeControlStore.ClaimLost;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.TargetStore.Target;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an approved change control: the first device with a target alone (the canary), then the
 * rest one by one. Each device's state is committed before its step (running) and after it, so a
 * crash leaves a trace the next start reports. The first failure stops the run, and every device
 * already changed is put back as it was; a device whose state cannot be established is marked
 * unknown, never done.
 */
public final class ChangeControlRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeControlRunner.class);

    private final ChangeControlStore changeControls;
    private final TargetStore targets;
    private final Map<String, DeviceDeployer> deployers;
    private final Duration pauseAfterEachApply;
    private final Leadership leadership;

    /**
     * @param pauseAfterEachApply held after each device's apply, before its result is recorded, in a
     *                            run's first leader only (a run taken over finishes without pauses)
     */
    public ChangeControlRunner(ChangeControlStore changeControls, TargetStore targets,
                               Map<String, DeviceDeployer> deployers, Duration pauseAfterEachApply, Leadership leadership) {
        this.changeControls = changeControls;
        this.targets = targets;
        this.deployers = Map.copyOf(deployers);
        this.pauseAfterEachApply = pauseAfterEachApply;
        this.leadership = leadership;
    }

    public Optional<DeviceDeployer> deployer(String driver) {
        return Optional.ofNullable(deployers.get(driver));
    }

    /** The drivers a target may name. */
    public java.util.Set<String> drivers() {
        return deployers.keySet();
    }

    private record Done(Target target, DeviceDeployer deployer, DeviceDeployer.Snapshot before) {
    }

    /**
     * Claims every running change control this leader has not claimed yet (asked to run on any
     * server, or left by a leader that stopped) and runs each on a thread of its own; returns
     * those runs. Does nothing on a follower. Called when a run is asked for and while leading.
     */
    public List<Run> dispatch() {
        OptionalLong epoch = leadership.epoch();
        if (epoch.isEmpty()) {
            return List.of();
        }
        List<Run> started = new ArrayList<>();
        for (long id : changeControls.unclaimed(epoch.getAsLong())) {
            changeControls.claim(id, epoch.getAsLong()).ifPresent(claim ->
                    started.add(new Run(claim, Thread.ofVirtual().name("change-control-" + id).start(() -> execute(claim)))));
        }
        return started;
    }

    /** A change control this server claimed, running on {@code thread}. */
    public record Run(Claim claim, Thread thread) {
    }

    private void execute(Claim claim) {
        ChangeControl cc = changeControls.get(claim.id()).orElseThrow();
        String actor = cc.runBy().orElse("septum");
        try {
            Optional<Build> build = changeControls.approvedBuild(claim.id());
            if (build.isEmpty()) {
                changeControls.finish(actor, claim, ChangeControl.State.FAILED, "the stored build is not the approved one; "
                        + "nothing was deployed by this run");
                return;
            }
            deploy(actor, claim, cc, build.get());
        } catch (ClaimLost e) {
            LOG.warn("change control {}: {}; this server stops running it", claim.id(), e.getMessage());
        } catch (RuntimeException e) {
            // e.g. the database went away: leave what is known, and say the run failed
            LOG.error("change control {} stopped", claim.id(), e);
            try {
                changeControls.get(claim.id()).ifPresent(now -> now.devices().stream().filter(d -> d.state() == DeviceState.RUNNING)
                        .forEach(d -> changeControls.deviceState(actor, claim, d.device(), DeviceState.UNKNOWN,
                                "the deploy stopped on an internal error mid-step; read the device back before trusting it")));
                changeControls.finish(actor, claim, ChangeControl.State.FAILED, "stopped by an internal error: " + e.getMessage());
            } catch (RuntimeException again) {
                LOG.error("change control {}: its failure could not be recorded; the next leader takes it over", claim.id(), again);
            }
        }
    }

    private void deploy(String actor, Claim claim, ChangeControl cc, Build build) {
        Deque<Done> changed = new ArrayDeque<>();
        Optional<String> failed = Optional.empty();
        boolean interrupted = false;
        for (DeviceResult device : cc.devices()) {
            String name = device.device();
            if (failed.isPresent()) {
                changeControls.deviceState(actor, claim, name, DeviceState.SKIPPED, "not run: " + failed.get());
                continue;
            }
            Optional<Target> target = targets.get(name);
            Optional<Build.DeviceBuild> built = build.device(name);
            if (target.isEmpty() || built.isEmpty()) {
                changeControls.deviceState(actor, claim, name, DeviceState.SKIPPED, built.isEmpty() ? "the approved build has no such device"
                        : "no deploy target is bound; bind one with PUT /api/targets/" + name);
                continue;
            }
            DeviceDeployer deployer = deployers.get(target.get().driver());
            if (deployer == null) {
                changeControls.deviceState(actor, claim, name, DeviceState.FAILED, "this server has no driver '" + target.get().driver()
                        + "'; bind the device to one of " + deployers.keySet());
                failed = Optional.of(name + " failed");
                continue;
            }
            Optional<DeployScript> script = approvedScript(deployer, target.get(), built.get(), build);
            if (script.isEmpty()) {
                changeControls.deviceState(actor, claim, name, DeviceState.FAILED, "the approved build holds no config for a "
                        + target.get().driver() + " target of family '" + target.get().family() + "' (the target changed after the build); "
                        + "withdraw the change control, build the workspace again and submit it");
                failed = Optional.of(name + " failed");
                continue;
            }
            if (!leadership.leadsUnder(claim.epoch())) {
                throw new ClaimLost(claim);
            }
            if (claim.takenOver() && device.state() != DeviceState.PENDING) {
                switch (readBeforeResuming(deployer, target.get(), script.get())) {
                    case Read.InSync inSync -> {
                        changeControls.deviceState(actor, claim, name, DeviceState.SUCCEEDED, "already runs the approved config "
                                + "(read back by the leader of epoch " + claim.epoch() + " after the take-over)");
                        continue;
                    }
                    case Read.Unreadable u -> {
                        changeControls.deviceState(actor, claim, name, DeviceState.UNKNOWN, "the server deploying this device stopped, "
                                + "and the device cannot be read back: " + u.why() + "; read it back before trusting it");
                        failed = Optional.of(name + " unknown after the take-over");
                        interrupted = true;
                        continue;
                    }
                    case Read.Other other -> {
                        // nft -f and eAPI sessions apply all or nothing: the device runs a whole earlier config; deploy it anew
                    }
                }
            }
            changeControls.deviceState(actor, claim, name, DeviceState.RUNNING, "deploying to " + target.get().driver() + " "
                    + target.get().address());
            DeviceStep.Result result = DeviceStep.run(deployer, target.get(), script.get());
            if (!claim.takenOver()) {
                pause();
            }
            switch (result) {
                case DeviceStep.Result.Succeeded ok -> {
                    changeControls.deviceState(actor, claim, name, DeviceState.SUCCEEDED, ok.message());
                    changed.push(new Done(target.get(), deployer, ok.before()));
                }
                case DeviceStep.Result.Failed f -> {
                    changeControls.deviceState(actor, claim, name, DeviceState.FAILED, f.message());
                    failed = Optional.of(name + " failed");
                }
                case DeviceStep.Result.RolledBack r -> {
                    changeControls.deviceState(actor, claim, name, DeviceState.ROLLED_BACK, r.message());
                    failed = Optional.of(name + " failed its read-back");
                }
                case DeviceStep.Result.Unknown u -> {
                    changeControls.deviceState(actor, claim, name, DeviceState.UNKNOWN, u.message());
                    failed = Optional.of(name + " failed");
                }
            }
        }
        if (failed.isPresent()) {
            rollBack(actor, claim, changed);
            changeControls.finish(actor, claim, interrupted ? ChangeControl.State.INTERRUPTED : ChangeControl.State.FAILED, failed.get());
        } else {
            changeControls.succeeded(actor, claim, cc.versionId());
        }
    }

    /** What a device touched by a leader that stopped holds: the approved config, something else, or unknown. */
    private sealed interface Read {
        record InSync() implements Read {
        }

        record Other() implements Read {
        }

        record Unreadable(String why) implements Read {
        }
    }

    private static Read readBeforeResuming(DeviceDeployer deployer, Target target, DeployScript script) {
        try {
            return deployer.compare(target, script).inSync() ? new Read.InSync() : new Read.Other();
        } catch (RuntimeException e) {
            return new Read.Unreadable(String.valueOf(e.getMessage()));
        }
    }

    /**
     * The reviewed text for this target: the script the build rendered for it (a stand-in driver),
     * else the device's own config when the driver runs the device's platform as it is.
     */
    private static Optional<DeployScript> approvedScript(DeviceDeployer deployer, Target target, Build.DeviceBuild device, Build build) {
        Optional<Build.TargetScript> script = build.script(device.device());
        if (script.isPresent()) {
            Build.TargetScript s = script.get();
            return s.driver().equals(target.driver()) && s.family().equals(target.family())
                    ? Optional.of(deployer.script(device.device(), s.script())) : Optional.empty();
        }
        return deployer.platform().keyword().equals(device.platform())
                ? Optional.of(deployer.script(device.device(), device.config())) : Optional.empty();
    }

    /**
     * What the build stores beside the device configs for a bound target whose driver does not run
     * the device's platform as it is; empty for a native target.
     */
    public Optional<Build.TargetScript> scriptFor(Target target, PolicyBuild build) {
        DeviceDeployer deployer = deployers.get(target.driver());
        Optional<DevicePlan> plan = build.plan(target.device());
        if (deployer == null || plan.isEmpty() || deployer.platform() == plan.get().device().platform()) {
            return Optional.empty();
        }
        return Optional.of(new Build.TargetScript(target.device(), target.driver(), target.family(),
                deployer.render(build, target.device(), target).text()));
    }

    /** Puts the devices already changed back as they were, newest first. */
    private void rollBack(String actor, Claim claim, Deque<Done> changed) {
        for (Done done : changed) {
            String name = done.target().device();
            DeviceDeployer.StepOutcome restored;
            try {
                restored = done.deployer().restore(done.target(), done.before());
            } catch (RuntimeException e) {
                restored = new DeviceDeployer.StepOutcome.Refused("rollback failed: " + e.getMessage());
            }
            changeControls.deviceState(actor, claim, name, restored instanceof DeviceDeployer.StepOutcome.Done
                    ? DeviceState.ROLLED_BACK : DeviceState.UNKNOWN, restored.message());
        }
    }

    private void pause() {
        if (!pauseAfterEachApply.isZero()) {
            try {
                Thread.sleep(pauseAfterEachApply);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
