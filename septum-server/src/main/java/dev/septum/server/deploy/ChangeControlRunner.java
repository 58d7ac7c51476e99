package dev.septum.server.deploy;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.ChangeControl.DeviceResult;
import dev.septum.server.store.ChangeControl.DeviceState;
import dev.septum.server.store.ChangeControlStore;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.TargetStore.Target;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
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
    private final PolicyStore policies;
    private final TargetStore targets;
    private final Map<String, DeviceDeployer> deployers;
    private final Duration pauseBeforeEachDevice;

    public ChangeControlRunner(ChangeControlStore changeControls, PolicyStore policies, TargetStore targets,
                               Map<String, DeviceDeployer> deployers, Duration pauseBeforeEachDevice) {
        this.changeControls = changeControls;
        this.policies = policies;
        this.targets = targets;
        this.deployers = Map.copyOf(deployers);
        this.pauseBeforeEachDevice = pauseBeforeEachDevice;
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

    /** Runs a change control the caller has moved to running. Returns when every device has its result. */
    public void execute(String actor, long id) {
        try {
            deploy(actor, id);
        } catch (RuntimeException e) {
            // e.g. the database went away: leave what is known, and say the run failed
            LOG.error("change control {} stopped", id, e);
            changeControls.get(id).ifPresent(cc -> cc.devices().stream().filter(d -> d.state() == DeviceState.RUNNING)
                    .forEach(d -> changeControls.deviceState(actor, id, d.device(), DeviceState.UNKNOWN,
                            "the deploy stopped on an internal error mid-step; read the device back before trusting it")));
            changeControls.transition(actor, id, ChangeControl.State.RUNNING, ChangeControl.State.FAILED,
                    "stopped by an internal error: " + e.getMessage());
        }
    }

    private void deploy(String actor, long id) {
        ChangeControl cc = changeControls.get(id).orElseThrow();
        PolicyBuild build = PolicyFiles.build(policies.files(cc.versionId()));
        Deque<Done> changed = new ArrayDeque<>();
        Optional<String> failed = Optional.empty();
        for (DeviceResult device : cc.devices()) {
            String name = device.device();
            if (failed.isPresent()) {
                changeControls.deviceState(actor, id, name, DeviceState.SKIPPED, "not run: " + failed.get());
                continue;
            }
            Optional<Target> target = targets.get(name);
            if (target.isEmpty() || build.plan(name).isEmpty()) {
                changeControls.deviceState(actor, id, name, DeviceState.SKIPPED, build.plan(name).isEmpty() ? "the version has no such device"
                        : "no deploy target is bound; bind one with PUT /api/targets/" + name);
                continue;
            }
            DeviceDeployer deployer = deployers.get(target.get().driver());
            if (deployer == null) {
                changeControls.deviceState(actor, id, name, DeviceState.FAILED, "this server has no driver '" + target.get().driver()
                        + "'; bind the device to one of " + deployers.keySet());
                failed = Optional.of(name + " failed");
                continue;
            }
            DeployScript script;
            try {
                script = deployer.render(build, name, target.get());
            } catch (IllegalArgumentException refused) {
                changeControls.deviceState(actor, id, name, DeviceState.FAILED, "cannot render: " + refused.getMessage());
                failed = Optional.of(name + " failed");
                continue;
            }
            changeControls.deviceState(actor, id, name, DeviceState.RUNNING, "deploying to " + target.get().driver() + " "
                    + target.get().address());
            pause();
            switch (DeviceStep.run(deployer, target.get(), script)) {
                case DeviceStep.Result.Succeeded ok -> {
                    changeControls.deviceState(actor, id, name, DeviceState.SUCCEEDED, ok.message());
                    changed.push(new Done(target.get(), deployer, ok.before()));
                }
                case DeviceStep.Result.Failed f -> {
                    changeControls.deviceState(actor, id, name, DeviceState.FAILED, f.message());
                    failed = Optional.of(name + " failed");
                }
                case DeviceStep.Result.RolledBack r -> {
                    changeControls.deviceState(actor, id, name, DeviceState.ROLLED_BACK, r.message());
                    failed = Optional.of(name + " failed its read-back");
                }
                case DeviceStep.Result.Unknown u -> {
                    changeControls.deviceState(actor, id, name, DeviceState.UNKNOWN, u.message());
                    failed = Optional.of(name + " failed");
                }
            }
        }
        if (failed.isPresent()) {
            rollBack(actor, id, changed);
        }
        changeControls.transition(actor, id, ChangeControl.State.RUNNING,
                failed.isPresent() ? ChangeControl.State.FAILED : ChangeControl.State.SUCCEEDED, failed.orElse("all devices done"));
    }

    /** Puts the devices already changed back as they were, newest first. */
    private void rollBack(String actor, long id, Deque<Done> changed) {
        for (Done done : changed) {
            String name = done.target().device();
            DeviceDeployer.StepOutcome restored;
            try {
                restored = done.deployer().restore(done.target(), done.before());
            } catch (RuntimeException e) {
                restored = new DeviceDeployer.StepOutcome.Refused("rollback failed: " + e.getMessage());
            }
            changeControls.deviceState(actor, id, name, restored instanceof DeviceDeployer.StepOutcome.Done
                    ? DeviceState.ROLLED_BACK : DeviceState.UNKNOWN, restored.message());
        }
    }

    private void pause() {
        if (!pauseBeforeEachDevice.isZero()) {
            try {
                Thread.sleep(pauseBeforeEachDevice);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
