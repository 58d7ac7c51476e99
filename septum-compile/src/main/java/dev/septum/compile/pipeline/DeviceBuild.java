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
     * A device the platform can enforce. Its config is rendered when first read, once: the plan
     * was checked against the platform's capabilities when the build was made, so whether a device
     * is refused never waits for the text, but a trace or a check of a large policy reads only the
     * plans and never pays for rendering. A class, not a record, because the rendered text is
     * memoized state.
     */
    final class Rendered implements DeviceBuild {
        private final DevicePlan plan;
        private final PlatformProfile profile;
        private final List<String> counterNames;
        private volatile String config;

        /**
         * @param counterNames the names the device reports per-match hits under, as the config declares them
         */
        public Rendered(DevicePlan plan, PlatformProfile profile, List<String> counterNames) {
            this.plan = plan;
            this.profile = profile;
            this.counterNames = List.copyOf(counterNames);
        }

        @Override
        public DevicePlan plan() {
            return plan;
        }

        @Override
        public PlatformProfile profile() {
            return profile;
        }

        public List<String> counterNames() {
            return counterNames;
        }

        /** The config text, rendered by the profile's renderer on the first call (by one thread). */
        public String config() {
            String text = config;
            if (text == null) {
                synchronized (this) {
                    text = config;
                    if (text == null) {
                        text = profile.renderer().render(plan);
                        config = text;
                    }
                }
            }
            return text;
        }
    }

    /** The plan needs something the platform cannot do; {@code reasons} are errors of the build too. */
    record Refused(DevicePlan plan, PlatformProfile profile, List<Diagnostic> reasons) implements DeviceBuild {
        public Refused {
            reasons = List.copyOf(reasons);
        }
    }
}
