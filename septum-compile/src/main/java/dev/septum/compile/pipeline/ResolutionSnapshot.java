package dev.septum.compile.pipeline;

import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import inet.ipaddr.IPAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The members every group had when a build resolved them, and where they came from.
 *
 * @param groups group name to its resolution, in the model's order
 */
public record ResolutionSnapshot(Map<String, ResolvedGroup> groups) {
    public ResolutionSnapshot {
        groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /** @param source e.g. {@code static}; a dynamic source names itself */
    public record ResolvedGroup(String group, String source, List<IPAddress> members) {
        public ResolvedGroup {
            members = List.copyOf(members);
        }
    }

    static ResolutionSnapshot ofStaticMembers(PolicyModel model) {
        Map<String, ResolvedGroup> groups = new LinkedHashMap<>();
        for (Group g : model.groups().values()) {
            groups.put(g.name(), new ResolvedGroup(g.name(), "static", g.members()));
        }
        return new ResolutionSnapshot(groups);
    }
}
