package dev.septum.server.build;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.ResolutionSnapshot;
import dev.septum.compile.pipeline.ResolutionSnapshot.ResolvedGroup;
import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A refresh workspace's groups as the refresh saw them: every dynamic group whose source is
 * defined as in the version the refresh compared takes its members from the snapshot the refresh
 * captured, so the build that is reviewed and the one that is submitted plan from the same
 * members however the source has answered since. A group a person added or whose source they
 * changed in the workspace is asked like in any other workspace.
 */
public final class PinnedResolution {
    private PinnedResolution() {
    }

    public static GroupResolver of(ResolutionSnapshot pinned, PolicyModel refreshed, GroupResolver sources) {
        return model -> {
            ResolutionSnapshot replayed = GroupResolver.replay(pinned).resolve(model);
            if (model.groups().values().stream().filter(Group::dynamic).allMatch(g -> kept(pinned, refreshed, g))) {
                return replayed;
            }
            ResolutionSnapshot asked = sources.resolve(model);
            Map<String, ResolvedGroup> groups = new LinkedHashMap<>();
            for (Group g : model.groups().values()) {
                groups.put(g.name(), (kept(pinned, refreshed, g) ? replayed : asked).groups().get(g.name()));
            }
            return new ResolutionSnapshot(asked.takenAt(), groups);
        };
    }

    private static boolean kept(ResolutionSnapshot pinned, PolicyModel refreshed, Group g) {
        Group then = refreshed.groups().get(g.name());
        return g.dynamic() && pinned.group(g.name()).isPresent() && then != null && Objects.equals(then.source(), g.source());
    }
}
