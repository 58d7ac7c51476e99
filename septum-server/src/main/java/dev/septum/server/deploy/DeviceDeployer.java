package dev.septum.server.deploy;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.server.store.TargetStore.Target;

/** Puts one device's script on its target, checks it by reading it back, and can put the old state back. */
public interface DeviceDeployer {
    /** The state of the device before a deploy, enough to restore it. */
    interface Snapshot {
    }

    /** The config this driver sends for the device, from the build; refused with IllegalArgumentException. */
    DeployScript render(PolicyBuild build, String device, Target target);

    Snapshot snapshot(Target target, DeployScript script);

    StepOutcome deploy(Target target, DeployScript script);

    StepOutcome restore(Target target, Snapshot snapshot);

    /**
     * For drift checks: what the device would hold with the designed config, and what it holds,
     * both in the device's own normal form (so equal means in sync).
     */
    record Comparison(String designed, String running) {
        public boolean inSync() {
            return designed.equals(running);
        }
    }

    Comparison compare(Target target, DeployScript designed);

    sealed interface StepOutcome {
        String message();

        /** Applied and read back as designed. */
        record Done(String message) implements StepOutcome {
        }

        /** Refused before anything changed (nft -c, or the kernel's all-or-nothing commit). */
        record Refused(String message) implements StepOutcome {
        }

        /** Applied, but the device does not hold what was sent. */
        record Mismatch(String message) implements StepOutcome {
        }
    }
}
