package dev.septum.server.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
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
import dev.septum.server.store.UserStore;
import java.time.Duration;
import java.util.regex.Pattern;
import dev.septum.server.workflow.GroupRefresh;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Dynamic groups kept current: a refresh on request, members pushed to a push group, and the push
 * tokens that may push to named groups only.
 */
final class GroupRoutes {
    /** As many as any source may answer. */
    static final int MAX_MEMBERS = 65_536;
    private static final String PUSH_EXAMPLE = "{\"members\": [\"198.51.100.10\", {\"address\": \"2001:db8::/64\", "
            + "\"categories\": {\"role\": \"web\"}}]}";
    private static final String PUSH_TOKEN_EXAMPLE = "{\"name\": \"cmdb\", \"groups\": [\"web\"], \"days\": 30}";
    private static final Pattern TOKEN_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    /** Group names as the model allows them, with no character that could split the stored list. */
    private static final Pattern GROUP_NAME = Pattern.compile("[^\\p{Cntrl}\\s]{1,128}");
    private static final int MAX_TOKEN_GROUPS = 256;

    private final Services s;

    GroupRoutes(Services s) {
        this.s = s;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(POST, "/api/groups/refresh", Role.ADMIN, "Ask the newest approved version's dynamic groups' sources now "
                        + "(as the schedule does when an answer runs out); changed members open a workspace 'members: GROUP (+added "
                        + "-removed) [tag]' whose build shows the field-set-only diff (once per change and version); within the groups' auto-apply limits "
                        + "it is deployed through an auto-approved change control ('changeControl') unless it alters the verdict of "
                        + "observed sessions (then it waits for review, see GET /api/audit 'groups.auto-apply.refused')", this::refresh),
                Endpoint.of(PUT, "/api/groups/{name}/members", Role.PUSH, "Replace the members of a group whose source is "
                        + "{kind: push} in the newest approved version (addresses or prefixes, each optionally with categories; at most "
                        + MAX_MEMBERS + "); then refreshes like POST /api/groups/refresh. Callers: an editor, or a push token "
                        + "naming the group (POST /api/groups/push-tokens)", this::push).withBody(PUSH_EXAMPLE),
                Endpoint.of(GET, "/api/groups/push-tokens", Role.ADMIN, "The push tokens, each with the groups it may push to "
                        + "(never their secrets)", (ctx, caller) -> ctx.json(Map.of("pushTokens", s.users().pushTokens()))),
                Endpoint.of(POST, "/api/groups/push-tokens", Role.ADMIN, "Create a push token (shown once) that may only push members "
                        + "to the named groups, valid for 'days' (default and most: the server's token lifetime)", this::createPushToken)
                        .withBody(PUSH_TOKEN_EXAMPLE).created(),
                Endpoint.of(DELETE, "/api/groups/push-tokens/{name}", Role.ADMIN, "Revoke a push token by its name", this::revokePushToken));
    }

    private void createPushToken(Context ctx, User caller) {
        Body body = Body.parse(ctx.body(), Set.of("name", "groups", "days"), PUSH_TOKEN_EXAMPLE);
        String name = body.string("name", Limits.NAME, "name the token after who uses it, e.g. \"cmdb\"");
        if (!TOKEN_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("name", "'" + name + "' is not a push token name", "use lower-case letters, digits, '_', '-', '.' (at most 64)");
        }
        List<String> groups = body.stringList("groups", MAX_TOKEN_GROUPS, Limits.NAME, "list the push groups it may push to, such as "
                + PUSH_TOKEN_EXAMPLE);
        if (groups.isEmpty()) {
            throw ApiError.badRequest("groups", "is missing or empty", "list the push groups it may push to, such as " + PUSH_TOKEN_EXAMPLE);
        }
        groups.stream().filter(g -> !GROUP_NAME.matcher(g).matches()).findFirst().ifPresent(g -> {
            throw ApiError.badRequest("groups", "'" + g + "' is not a group name", "name groups as the policy does, without spaces");
        });
        long most = Math.max(1, s.tokenLifetime().toDays());
        long days = body.optionalLong("days", 1, most, "a number of days from 1 to " + most).orElse(most);
        List<String> distinct = groups.stream().distinct().toList();
        String token = s.users().createPushToken(caller.name(), name, distinct, Duration.ofDays(days)).orElseThrow(() ->
                ApiError.conflict("name", "a push token named '" + name + "' exists", "pick another name, or revoke it first"));
        ctx.status(201).json(Views.map("token", token, "name", name, "groups", distinct, "days", days));
    }

    private void revokePushToken(Context ctx, User caller) {
        String name = Body.limited("name", ctx.pathParam("name"), Limits.NAME);
        if (!s.users().revokePushToken(caller.name(), name)) {
            throw ApiError.notFound("push token " + name, "list them with GET /api/groups/push-tokens");
        }
        ctx.json(Map.of("revoked", name));
    }

    /** An editor pushes to any push group; a push token only to the groups it names, checked before anything about the group is told. */
    private void mayPush(Context ctx, User caller, String group) {
        if (caller.role() == Role.PUSH) {
            List<String> groups = s.auth().pushToken(ctx).map(UserStore.PushToken::groups).orElse(List.of());
            if (!groups.contains(group)) {
                throw new ApiError(403, "name", caller.name() + " may not push to group " + group + "; it may push to "
                        + String.join(", ", groups), "push to one of its groups, or have an admin create a push token for " + group);
            }
        } else if (!caller.role().includes(Role.EDITOR)) {
            throw new ApiError(403, "", "user " + caller.name() + " has role " + caller.role().key() + "; this needs editor "
                    + "or a push token for group " + group, "ask an admin for the editor role or a push token");
        }
    }

    private void push(Context ctx, User caller) {
        String name = Body.limited("name", ctx.pathParam("name"), Limits.NAME);
        mayPush(ctx, caller, name);
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
                "changeControl", o.changeControl().orElse(null),
                "superseded", o.superseded().stream().map(w -> Views.map("id", w.workspaceId(), "name", w.name())).toList());
    }
}
