package dev.septum.compile.pipeline;

import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns every group into its members at build time. Each build resolves once and keeps the
 * snapshot, so everything that reads the build (trace, check, diff, taggers) sees the same members.
 */
@FunctionalInterface
public interface GroupResolver {
    ResolutionSnapshot resolve(PolicyModel model);

    /** Groups are what the YAML lists; no outside source is asked, so a dynamic group never resolves. */
    GroupResolver STATIC = ResolutionSnapshot::ofStaticMembers;

    /**
     * A snapshot an earlier build took, used again: a stored version rebuilt, a proposal checked
     * against the build it extends. Never asks a source; a dynamic group the snapshot lacks has not
     * resolved.
     */
    static GroupResolver replay(ResolutionSnapshot snapshot) {
        return model -> {
            ResolutionSnapshot statics = ResolutionSnapshot.ofStaticMembers(model);
            Map<String, ResolutionSnapshot.ResolvedGroup> groups = new LinkedHashMap<>();
            for (Group g : model.groups().values()) {
                groups.put(g.name(), g.dynamic()
                        ? snapshot.group(g.name()).filter(r -> r.source().equals(g.source().orElseThrow().kind()))
                                .orElseGet(() -> ResolutionSnapshot.ResolvedGroup.never(g,
                                        "the snapshot this build replays does not hold it"))
                        : statics.groups().get(g.name()));
            }
            return new ResolutionSnapshot(snapshot.takenAt(), groups);
        };
    }
}
