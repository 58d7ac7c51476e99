package dev.septum.server.api;

import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.septum.model.Group;
import dev.septum.model.GroupSource;
import dev.septum.resolve.PushedMembers;
import dev.septum.resolve.SourceFailure;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.store.PolicyVersion;
import java.util.Set;

import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import dev.septum.server.workflow.GroupRefresh;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** Dynamic groups kept current: a refresh on request, and members pushed to a push group. */
final class GroupRoutes {
    /** As many as any source may answer. */
    static final int MAX_MEMBERS = 65_536;
    private static final String PUSH_EXAMPLE = "{\"members\": [\"198.51.100.10\", {\"address\": \"2001:db8::/64\", "
            + "\"categories\": {\"role\": \"web\"}}]}";

    private final Services s;

    GroupRoutes(Services s) {
        this.s = s;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(POST, "/api/groups/refresh", Role.ADMIN, "Ask the newest approved version's dynamic groups' sources now "
                        + "(as the schedule does when an answer runs out); changed members open a workspace 'members: GROUP (+added "
                        + "-removed) [tag]' whose build shows the field-set-only diff (once per change and version); within the groups' auto-apply limits "
                        + "it is deployed through an auto-approved change control ('changeControl')", this::refresh),
                Endpoint.of(PUT, "/api/groups/{name}/members", Role.EDITOR, "Replace the members of a group whose source is "
                        + "{kind: push} in the newest approved version (addresses or prefixes, each optionally with categories; at most "
                        + MAX_MEMBERS + "); then refreshes like POST /api/groups/refresh", this::push).withBody(PUSH_EXAMPLE));
    }

    private void push(Context ctx, User caller) {
        String name = Body.limited("name", ctx.pathParam("name"), Limits.NAME);
        PolicyVersion current = s.policies().current().orElseThrow(() -> ApiError.notFound("an approved policy version",
                "import one with POST /api/versions"));
        Group group = PolicyFiles.load(s.policies().files(current.id())).model().groups().get(name);
        if (group == null || !(group.source().orElse(null) instanceof GroupSource.Push)) {
            throw ApiError.notFound("group " + name + " with source {kind: push} in version " + current.id(),
                    "give the group 'source: {kind: push}' in a change, or push to another group (GET /api/versions/"
                            + current.id() + "/files)");
        }
        Body body = Body.parse(ctx.body(), Set.of("members"), PUSH_EXAMPLE);
        String members = body.list("members", MAX_MEMBERS, "send the group's members whole, such as " + PUSH_EXAMPLE);
        int count;
        try {
            count = PushedMembers.read(members, "members").size();
        } catch (SourceFailure e) {
            throw ApiError.badRequest("members", e.getMessage(), "send addresses or prefixes without host bits, and "
                    + "categories as name: value, such as " + PUSH_EXAMPLE);
        }
        s.pushes().put(caller.name(), name, members, count);
        ctx.json(Views.map("group", name, "members", count,
                "refresh", outcome(s.groups().refresh(caller.name(), "push to group " + name + " by " + caller.name()))));
    }

    private void refresh(Context ctx, User caller) {
        ctx.json(outcome(s.groups().refresh(caller.name(), "requested by " + caller.name())));
    }

    static Map<String, Object> outcome(GroupRefresh.Outcome o) {
        return Views.map("version", o.version().orElse(null),
                "changes", o.changes().stream().map(c -> Views.map("group", c.group(), "added", c.added(), "removed", c.removed())).toList(),
                "workspace", o.workspace().map(Views::workspace).orElse(null), "opened", o.opened(),
                "changeControl", o.changeControl().orElse(null));
    }
}
