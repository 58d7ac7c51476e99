package dev.septum.compile.pipeline;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.model.validate.Diagnostic;
import java.util.List;

/** One device's share of a build: its plan, and either its config or why it gets none. */
public sealed interface DeviceBuild {
    DevicePlan plan();

    PlatformProfile profile();

    default String name() {
        return plan().name();
    }

    /**
     * @param counterNames the names the device reports per-match hits under, as the config declares them
     */
    record Rendered(DevicePlan plan, PlatformProfile profile, String config, List<String> counterNames)
            implements DeviceBuild {
        public Rendered {
            counterNames = List.copyOf(counterNames);
        }
    }

    /** The plan needs something the platform cannot do; {@code reasons} are errors of the build too. */
    record Refused(DevicePlan plan, PlatformProfile profile, List<Diagnostic> reasons) implements DeviceBuild {
        public Refused {
            reasons = List.copyOf(reasons);
        }
    }
}
