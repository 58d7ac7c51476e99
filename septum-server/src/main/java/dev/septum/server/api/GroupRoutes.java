package dev.septum.server.api;

import static io.javalin.http.HandlerType.POST;

import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import dev.septum.server.workflow.GroupRefresh;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** Dynamic groups kept current: a refresh on request. */
final class GroupRoutes {
    private final Services s;

    GroupRoutes(Services s) {
        this.s = s;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(POST, "/api/groups/refresh", Role.ADMIN, "Ask the newest approved version's dynamic groups' sources now "
                        + "(as the schedule does when an answer runs out); changed members open a workspace 'members: GROUP (+added "
                        + "-removed) [tag]' whose build shows the field-set-only diff, unless an identical one is open", this::refresh));
    }

    private void refresh(Context ctx, User caller) {
        ctx.json(outcome(s.groups().refresh(caller.name(), "requested by " + caller.name())));
    }

    static Map<String, Object> outcome(GroupRefresh.Outcome o) {
        return Views.map("version", o.version().orElse(null),
                "changes", o.changes().stream().map(c -> Views.map("group", c.group(), "added", c.added(), "removed", c.removed())).toList(),
                "workspace", o.workspace().map(Views::workspace).orElse(null), "opened", o.opened());
    }
}
