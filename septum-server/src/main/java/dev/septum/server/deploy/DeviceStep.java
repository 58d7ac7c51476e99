package dev.septum.server.deploy;

import dev.septum.server.store.TargetStore.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's deploy, the same for a change control and a drift repair: read the device (the
 * snapshot to restore), apply atomically, read back; a read-back that does not match restores the
 * snapshot. The result says what the device holds afterwards, never more than is known.
 */
public final class DeviceStep {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceStep.class);

    public sealed interface Result {
        String message();

        /** Applied and read back as designed; {@code before} restores the device if a later step fails. */
        record Succeeded(String message, DeviceDeployer.Snapshot before) implements Result {
        }

        /** Nothing changed on the device (it could not be read, or it refused the config). */
        record Failed(String message) implements Result {
        }

        /** Applied, read back wrong, and put back as it was. */
        record RolledBack(String message) implements Result {
        }

        /** What the device holds is not known: read it back before trusting it. */
        record Unknown(String message) implements Result {
        }
    }

    private DeviceStep() {
    }

    public static Result run(DeviceDeployer deployer, Target target, DeployScript script) {
        DeviceDeployer.Snapshot before;
        try {
            before = deployer.snapshot(target, script);
        } catch (RuntimeException e) {
            // nothing was sent yet: the device is as it was
            return new Result.Failed("could not read the device before deploying: " + e.getMessage());
        }
        try {
            return switch (deployer.deploy(target, script)) {
                case DeviceDeployer.StepOutcome.Done d -> new Result.Succeeded(d.message(), before);
                case DeviceDeployer.StepOutcome.Refused r -> new Result.Failed(r.message());
                case DeviceDeployer.StepOutcome.Mismatch m -> {
                    DeviceDeployer.StepOutcome restored = deployer.restore(target, before);
                    String message = m.message() + "; " + restored.message();
                    yield restored instanceof DeviceDeployer.StepOutcome.Done ? new Result.RolledBack(message)
                            : new Result.Unknown(message);
                }
            };
        } catch (RuntimeException e) {
            LOG.warn("deploying to device {} failed", target.device(), e);
            return new Result.Unknown("the deploy step failed: " + e.getMessage() + "; read the device back before trusting it");
        }
    }
}
