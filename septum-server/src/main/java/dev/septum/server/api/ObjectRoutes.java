package dev.septum.server.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PUT;

import dev.septum.model.load.ModelKeys;
import dev.septum.model.validate.Suggestions;
import dev.septum.server.build.PolicyFiles;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.server.workflow.PendingChanges;
import dev.septum.server.workflow.PolicyObjects;
import dev.septum.server.workflow.PolicyObjects.Located;
import dev.septum.model.write.YamlObjectEditor;
import dev.septum.model.write.YamlObjectEditor.Section;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Every model object as a REST resource: groups, services, devices, policies and the rest by name,
 * and the rules of a policy one by one. The JSON of an object has the same fields as its YAML, and
 * a change rewrites only that object's lines in the file that holds it, so the workspace stays a
 * policy directory git can diff. Workspaces are edited; stored versions are read-only.
 */
final class ObjectRoutes {
    private static final String KINDS = String.join(", ", ModelKeys.TOP.stream().sorted().toList());
    private static final String GROUP_EXAMPLE = "{\"prefixes\": [\"10.0.0.10/32\", \"10.0.0.11/32\"], \"categories\": {\"tier\": \"web\"}}";
    private static final String RULE_EXAMPLE = "{\"sources\": [\"linuxmgmt10\"], \"destinations\": [\"appserver1\"], "
            + "\"services\": [\"SSH\"], \"direction\": \"bi\", \"action\": \"forward\"}";

    private final Services s;
    private final WorkspaceWrites writes;
    private final ObjectEdits edits;

    ObjectRoutes(Services s) {
        this.s = s;
        this.writes = new WorkspaceWrites(s);
        this.edits = new ObjectEdits(s);
    }

    List<Endpoint> endpoints() {
        String ws = "/api/workspaces/{id}";
        return List.of(
                Endpoint.of(GET, ws + "/objects", Role.VIEWER, "Every object of a workspace by kind: name, file and line", this::index),
                Endpoint.of(GET, ws + "/objects/{kind}", Role.VIEWER,
                        "Every object of one kind (" + KINDS + ") with its fields, file and line", this::listKind),
                Endpoint.of(GET, ws + "/objects/{kind}/{object}", Role.VIEWER,
                        "One object as JSON with the same fields as its YAML; ETag: the workspace revision", this::get),
                Endpoint.of(PUT, ws + "/objects/{kind}/{object}", Role.EDITOR,
                        "Create or replace an object; only its lines of its file change. ?file=NAME.yaml places a new object "
                                + "(default: the file already holding that kind, else KIND.yaml), ?before=NAME places it before another; "
                                + "refused with diagnostics when the workspace would have errors; If-Match: <revision>",
                        this::put).withBody(GROUP_EXAMPLE),
                Endpoint.of(DELETE, ws + "/objects/{kind}/{object}", Role.EDITOR,
                        "Delete an object; refused with diagnostics while other objects still refer to it", this::delete),
                Endpoint.of(GET, ws + "/policies/{policy}/rules", Role.VIEWER, "The rules of a policy in evaluation order", this::listRules),
                Endpoint.of(GET, ws + "/policies/{policy}/rules/{rule}", Role.VIEWER, "One rule of a policy and its position", this::getRule),
                Endpoint.of(PUT, ws + "/policies/{policy}/rules/{rule}", Role.EDITOR,
                        "Create or replace a rule; ?before=RULE inserts (or moves) it before that rule, otherwise a new rule is "
                                + "appended and an existing one keeps its place; If-Match: <revision>",
                        this::putRule).withBody(RULE_EXAMPLE),
                Endpoint.of(DELETE, ws + "/policies/{policy}/rules/{rule}", Role.EDITOR, "Delete a rule of a policy", this::deleteRule),
                Endpoint.of(GET, "/api/versions/{id}/objects/{kind}", Role.VIEWER, "Every object of one kind in a stored version",
                        this::listVersionKind),
                Endpoint.of(GET, "/api/versions/{id}/objects/{kind}/{object}", Role.VIEWER, "One object of a stored version",
                        this::getVersionObject));
    }

    private void index(Context ctx, User caller) {
        Workspace w = writes.find(ctx);
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (String kind : PendingChanges.KINDS) {
            byKind.put(kind, edits.list(w, Section.top(kind)).stream()
                    .map(l -> Views.map("name", l.found().value().get("name"), "file", l.file(), "line", l.found().line())).toList());
        }
        ctx.json(Map.of("workspace", w.id(), "revision", w.revision(), "objects", byKind));
    }

    private void listKind(Context ctx, User caller) {
        Workspace w = writes.find(ctx);
        Section section = Section.top(kind(ctx));
        ctx.json(Map.of("workspace", w.id(), "revision", w.revision(), section.key(),
                edits.list(w, section).stream().map(ObjectEdits::view).toList()));
    }

    private void get(Context ctx, User caller) {
        Workspace w = writes.find(ctx);
        Located found = edits.existing(w, Section.top(kind(ctx)), ctx.pathParam("object"));
        ctx.header("ETag", String.valueOf(w.revision())).json(ObjectEdits.view(found));
    }

    private void put(Context ctx, User caller) {
        Workspace w = WorkspaceWrites.open(writes.find(ctx));
        String kind = kind(ctx);
        Section section = Section.top(kind);
        stored(ctx, edits.put(caller, w, section, body(ctx, ctx.pathParam("object")), placement(ctx), edits.newFile(w, section)));
    }

    private static void stored(Context ctx, ObjectEdits.Stored stored) {
        ctx.status(stored.created() ? 201 : 200).json(stored.answer());
    }

    private void delete(Context ctx, User caller) {
        Workspace w = writes.find(ctx);
        ctx.json(edits.delete(caller, w, Section.top(kind(ctx)), ctx.pathParam("object"), WorkspaceWrites.ifMatch(ctx)));
    }

    private void listRules(Context ctx, User caller) {
        Workspace w = writes.find(ctx);
        Section rules = edits.rulesOf(w, ctx.pathParam("policy"));
        ctx.json(Map.of("workspace", w.id(), "revision", w.revision(), "policy", rules.policy().orElseThrow(),
                "rules", edits.list(w, rules).stream().map(ObjectEdits::view).toList()));
    }

    private void getRule(Context ctx, User caller) {
        Workspace w = writes.find(ctx);
        Section rules = edits.rulesOf(w, ctx.pathParam("policy"));
        String name = ctx.pathParam("rule");
        List<Located> all = edits.list(w, rules);
        for (int i = 0; i < all.size(); i++) {
            if (name.equals(all.get(i).found().value().get("name"))) {
                Map<String, Object> view = ObjectEdits.view(all.get(i));
                view.put("position", i + 1);
                ctx.header("ETag", String.valueOf(w.revision())).json(view);
                return;
            }
        }
        throw ObjectEdits.notFound(w, rules, name);
    }

    private void putRule(Context ctx, User caller) {
        Workspace w = WorkspaceWrites.open(writes.find(ctx));
        Section rules = edits.rulesOf(w, ctx.pathParam("policy"));
        stored(ctx, edits.put(caller, w, rules, body(ctx, ctx.pathParam("rule")), placement(ctx), edits.newFile(w, rules)));
    }

    private void deleteRule(Context ctx, User caller) {
        Workspace w = writes.find(ctx);
        Section rules = edits.rulesOf(w, ctx.pathParam("policy"));
        ctx.json(edits.delete(caller, w, rules, ctx.pathParam("rule"), WorkspaceWrites.ifMatch(ctx)));
    }

    private void listVersionKind(Context ctx, User caller) {
        long id = Params.id(ctx, "id");
        Section section = Section.top(kind(ctx));
        List<Located> all = versionObjects(id).list(section);
        ctx.json(Map.of("version", id, section.key(), all.stream().map(ObjectEdits::view).toList()));
    }

    private void getVersionObject(Context ctx, User caller) {
        long id = Params.id(ctx, "id");
        Section section = Section.top(kind(ctx));
        String name = ctx.pathParam("object");
        ctx.json(ObjectEdits.view(versionObjects(id).find(section, name).orElseThrow(() -> ApiError.notFound(
                ObjectEdits.singular(section) + " '" + name + "' in version " + id,
                "list them with GET /api/versions/" + id + "/objects/" + section.key()))));
    }

    private PolicyObjects versionObjects(long id) {
        s.policies().version(id).orElseThrow(() -> ApiError.notFound("version " + id, "list versions with GET /api/versions"));
        return new PolicyObjects(s.policies().files(id));
    }

    private static String kind(Context ctx) {
        String kind = ctx.pathParam("kind");
        if (!ModelKeys.TOP.contains(kind)) {
            String hint = Suggestions.closest(kind, ModelKeys.TOP).map(k -> "did you mean '" + k + "'? ").orElse("");
            throw ApiError.badRequest("kind", "'" + kind + "' is not a kind of object",
                    hint + "use one of " + KINDS + (kind.equals("rules") ? "; rules live at /policies/{policy}/rules" : ""));
        }
        return kind;
    }

    /** The request body: a JSON object of the object's YAML fields; {@code name} may be left out. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Context ctx, String name) {
        JsonNode root;
        try {
            root = Json.read(ctx.body());
        } catch (JacksonException e) {
            throw ApiError.badRequest("(body)", "is not valid JSON: " + e.getOriginalMessage(),
                    "send the object's fields as a JSON object, e.g. " + GROUP_EXAMPLE);
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("(body)", "is not a JSON object", "send the object's fields as a JSON object, e.g. " + GROUP_EXAMPLE);
        }
        JsonNode given = root.get("name");
        if (given != null && !(given.isString() && given.asString().equals(name))) {
            throw ApiError.badRequest("name", "is " + given + " but the path names '" + name + "'",
                    "leave 'name' out or send the same name; to rename, DELETE the object and PUT it under the new name");
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", name);
        Json.MAPPER.convertValue(root, LinkedHashMap.class).forEach((k, v) -> {
            if (!"name".equals(k) && v != null) {
                value.put((String) k, v);
            }
        });
        return value;
    }

    private static ObjectEdits.Placement placement(Context ctx) {
        Optional<String> before = Optional.ofNullable(ctx.queryParam("before")).filter(b -> !b.isEmpty());
        return new ObjectEdits.Placement(file(ctx), before, WorkspaceWrites.ifMatch(ctx));
    }

    private static Optional<String> file(Context ctx) {
        Optional<String> file = Optional.ofNullable(ctx.queryParam("file")).filter(f -> !f.isEmpty());
        file.ifPresent(f -> {
            if (!PolicyFiles.FILE_NAME.matcher(f).matches() || f.equals(dev.septum.model.load.PolicyLoader.LAB_FILE)) {
                throw ApiError.badRequest("file", "'" + f + "' is not a policy file name",
                        "use a plain file name ending in .yaml or .yml other than lab.yaml, e.g. objects.yaml");
            }
        });
        return file;
    }
}
