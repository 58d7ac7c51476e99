package dev.septum.compile.pipeline;

import dev.septum.model.PolicyModel;

/**
 * Turns every group into its members at build time. Each build resolves once and keeps the
 * snapshot, so everything that reads the build (trace, check, diff, taggers) sees the same members.
 */
@FunctionalInterface
public interface GroupResolver {
    ResolutionSnapshot resolve(PolicyModel model);

    /** Groups are what the YAML lists; no outside source is asked. */
    GroupResolver STATIC = ResolutionSnapshot::ofStaticMembers;
}
