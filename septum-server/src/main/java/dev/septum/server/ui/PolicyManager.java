package dev.septum.server.ui;

import dev.septum.model.write.YamlObjectEditor.Section;
import dev.septum.server.api.ApiError;
import dev.septum.server.api.ObjectEdits;
import dev.septum.server.api.Params;
import dev.septum.server.api.Services;
import dev.septum.server.api.WorkspaceWrites;
import dev.septum.server.store.Role;
import dev.septum.server.store.Workspace;
import dev.septum.server.workflow.PendingChanges;
import dev.septum.server.workflow.PolicyObjects.Located;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Policy Manager: every kind of object of a workspace as a table with a form, and a policy's
 * rules in order (dragged to reorder through the REST rule route). Reads and writes go through
 * {@link ObjectEdits}, as the REST object routes do; a refused edit shows the loader's diagnostics
 * at the fields they name.
 */
final class PolicyManager {
    /** Rules shown on one page of a policy; a policy of thousands of rules pages. */
    static final int RULES_PER_PAGE = 100;
    private static final List<String> TABS = PendingChanges.KINDS;

    private final WebUi ui;
    private final Services s;
    private final WorkspaceWrites writes;
    private final ObjectEdits edits;
    private final ObjectLists lists;

    PolicyManager(WebUi ui) {
        this.ui = ui;
        this.s = ui.services();
        this.writes = new WorkspaceWrites(s);
        this.edits = new ObjectEdits(s);
        this.lists = new ObjectLists(edits);
    }

    /** One kind of object of a workspace: its table and the form adding (or, with ?edit=NAME, editing) one. */
    public record ObjectsView(Chrome chrome, long workspace, boolean editable, String kind, List<String> tabs, List<String> columns,
                              List<Row> rows, ObjectForm form) {
    }

    /** @param link where the row's name leads (a policy's rules), empty for none */
    public record Row(String name, List<String> cells, String link, String at) {
    }

    public record RulesView(Chrome chrome, long workspace, boolean editable, String policy, String rulesApi, List<String> columns,
                            List<Row> rows, int first, int total, int page, int pages, ObjectForm form) {
        public int last() {
            return first + rows.size() - 1;
        }
    }

    void register(WebUi.Routes routes) {
        routes.get("/workspaces/{id}/objects/{kind}", Role.VIEWER, this::objects);
        routes.post("/workspaces/{id}/objects/{kind}", Role.EDITOR, this::saveObject);
        routes.post("/workspaces/{id}/objects/{kind}/{name}/delete", Role.EDITOR, (ctx, viewer) -> {
            Workspace w = workspace(ctx);
            edits.delete(viewer.user(), w, Section.top(kind(ctx)), ctx.pathParam("name"), revision(ctx));
            WebUi.seeOther(ctx, "/workspaces/" + w.id() + "/objects/" + kind(ctx));
        });
        routes.get("/workspaces/{id}/policies/{policy}/rules", Role.VIEWER, this::rules);
        routes.post("/workspaces/{id}/policies/{policy}/rules", Role.EDITOR, this::saveRule);
        routes.post("/workspaces/{id}/policies/{policy}/rules/{rule}/delete", Role.EDITOR, (ctx, viewer) -> {
            Workspace w = workspace(ctx);
            edits.delete(viewer.user(), w, edits.rulesOf(w, ctx.pathParam("policy")), ctx.pathParam("rule"), revision(ctx));
            WebUi.seeOther(ctx, rulesPath(w, ctx.pathParam("policy")));
        });
    }

    private Workspace workspace(Context ctx) {
        return writes.find(Params.id(ctx, "id"));
    }

    private static String kind(Context ctx) {
        String kind = ctx.pathParam("kind");
        if (!TABS.contains(kind)) {
            throw ApiError.notFound("a kind of object '" + kind + "'", "use one of " + String.join(", ", TABS));
        }
        return kind;
    }

    private static String rulesPath(Workspace w, String policy) {
        return "/workspaces/" + w.id() + "/policies/" + policy + "/rules";
    }

    /** The revision the form was read at (its hidden field), so a save never overwrites an edit made since. */
    private static Optional<Long> revision(Context ctx) {
        try {
            return Optional.ofNullable(ctx.formParam("_revision")).filter(r -> !r.isEmpty()).map(Long::parseLong);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("_revision", "is not a revision number", "reload the page and edit again");
        }
    }

    private void objects(Context ctx, Viewer viewer) {
        Workspace w = workspace(ctx);
        String kind = kind(ctx);
        FormSpec spec = FormSpec.of(kind).orElseThrow();
        Optional<String> editing = Optional.ofNullable(ctx.queryParam("edit")).filter(e -> !e.isEmpty());
        Map<String, Object> value = editing.map(name -> edits.existing(w, Section.top(kind), name).found().value()).orElse(Map.of());
        renderObjects(ctx, viewer, w, spec, 200, form(w, spec, objectsPath(w, kind), editing.orElse(""), value, List.of()));
    }

    private static String objectsPath(Workspace w, String kind) {
        return "/workspaces/" + w.id() + "/objects/" + kind;
    }

    private void renderObjects(Context ctx, Viewer viewer, Workspace w, FormSpec spec, int status, ObjectForm form) {
        String kind = spec.kind();
        List<Located> all = lists.list(w, Section.top(kind));
        List<String> columns = new ArrayList<>(spec.inputs().stream().map(FormSpec.Input::key).filter(k -> !k.equals("name")).toList());
        Map<String, List<String>> extra = extraColumns(w, kind, all);
        columns.addAll(extra.keySet());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Located l = all.get(i);
            List<String> cells = new ArrayList<>(spec.inputs().stream().filter(in -> !in.key().equals("name"))
                    .map(in -> FormSpec.text(l.found().value().get(in.key()))).toList());
            for (List<String> column : extra.values()) {
                cells.add(column.get(i));
            }
            rows.add(new Row(l.found().name(), cells, kind.equals("policies") ? rulesPath(w, l.found().name()) : "",
                    l.file() + ":" + l.found().line()));
        }
        ui.render(ctx, status, "objects.jte", new ObjectsView(ui.chrome(viewer, "Policy Manager: " + kind, "policy", Optional.of(w)), w.id(),
                editable(viewer, w), kind, TABS, columns, rows, form));
    }

    /** Columns the objects' own fields do not hold: a domain's policies, a policy's rule count. */
    private Map<String, List<String>> extraColumns(Workspace w, String kind, List<Located> all) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (kind.equals("domains")) {
            List<Located> policies = lists.list(w, Section.top("policies"));
            extra.put("policies applied", all.stream().map(d -> String.join(", ", policies.stream()
                    .filter(p -> d.found().name().equals(p.found().value().get("domain"))).map(p -> p.found().name()).toList())).toList());
        }
        if (kind.equals("policies")) {
            extra.put("rules", all.stream().map(p -> p.found().value().get("rules") instanceof List<?> r ? String.valueOf(r.size()) : "0").toList());
        }
        return extra;
    }

    private static boolean editable(Viewer viewer, Workspace w) {
        return viewer.may(Role.EDITOR) && w.state() == Workspace.State.OPEN;
    }

    private void saveObject(Context ctx, Viewer viewer) {
        Workspace w = workspace(ctx);
        String kind = kind(ctx);
        FormSpec spec = FormSpec.of(kind).orElseThrow();
        Section section = Section.top(kind);
        save(ctx, viewer, w, spec, section, objectsPath(w, kind), objectsPath(w, kind),
                form -> renderObjects(ctx, viewer, w, spec, 422, form));
    }

    private void rules(Context ctx, Viewer viewer) {
        Workspace w = workspace(ctx);
        String policy = ctx.pathParam("policy");
        Section rules = rulesOf(w, policy);
        FormSpec spec = FormSpec.of("rules").orElseThrow();
        Optional<String> editing = Optional.ofNullable(ctx.queryParam("edit")).filter(e -> !e.isEmpty());
        Map<String, Object> value = editing.map(name -> edits.existing(w, rules, name).found().value()).orElse(Map.of());
        renderRules(ctx, viewer, w, policy, 200, form(w, spec, rulesPath(w, policy), editing.orElse(""), value, List.of()));
    }

    private void renderRules(Context ctx, Viewer viewer, Workspace w, String policy, int status, ObjectForm form) {
        FormSpec spec = FormSpec.of("rules").orElseThrow();
        List<Located> all = lists.list(w, Section.rulesOf(policy));
        int pages = Math.max(1, (all.size() + RULES_PER_PAGE - 1) / RULES_PER_PAGE);
        int page = Math.min(pages, Math.max(1, pageParam(ctx)));
        int first = (page - 1) * RULES_PER_PAGE;
        List<String> columns = spec.inputs().stream().map(FormSpec.Input::key).filter(k -> !k.equals("name")).toList();
        List<Row> rows = all.subList(first, Math.min(all.size(), first + RULES_PER_PAGE)).stream()
                .map(l -> new Row(l.found().name(), columns.stream().map(c -> FormSpec.text(l.found().value().get(c))).toList(), "",
                        l.file() + ":" + l.found().line())).toList();
        ui.render(ctx, status, "rules.jte", new RulesView(ui.chrome(viewer, "Rules of " + policy, "policy", Optional.of(w)), w.id(),
                editable(viewer, w), policy, "/api/workspaces/" + w.id() + "/policies/" + policy + "/rules", columns, rows, first + 1,
                all.size(), page, pages, form));
    }

    /** The rules section of a policy of the workspace, found in the kept list of policies. */
    private Section rulesOf(Workspace w, String policy) {
        if (lists.list(w, Section.top("policies")).stream().noneMatch(l -> l.found().name().equals(policy))) {
            // the same refusal as the REST routes'
            return edits.rulesOf(w, policy);
        }
        return Section.rulesOf(policy);
    }

    private static int pageParam(Context ctx) {
        try {
            return Optional.ofNullable(ctx.queryParam("page")).map(Integer::parseInt).orElse(1);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private void saveRule(Context ctx, Viewer viewer) {
        Workspace w = workspace(ctx);
        String policy = ctx.pathParam("policy");
        Section rules = edits.rulesOf(w, policy);
        save(ctx, viewer, w, FormSpec.of("rules").orElseThrow(), rules, rulesPath(w, policy), rulesPath(w, policy),
                form -> renderRules(ctx, viewer, w, policy, 422, form));
    }

    /**
     * Stores the submitted form as an object of {@code section} and goes back to the list; a refusal
     * shows the form again with each diagnostic at its field.
     */
    private void save(Context ctx, Viewer viewer, Workspace w, FormSpec spec, Section section, String action, String done,
                      java.util.function.Consumer<ObjectForm> refused) {
        String editing = Optional.ofNullable(ctx.formParam("_editing")).orElse("");
        Map<String, List<String>> submitted = ctx.formParamMap();
        Map<String, Object> value = new LinkedHashMap<>();
        try {
            Map<String, Object> stored = editing.isEmpty() ? Map.of() : edits.existing(w, section, editing).found().value();
            value = spec.decode(submitted, stored);
            if (editing.isEmpty()) {
                edits.create(viewer.user(), w, section, value, edits.newFile(w, section));
            } else {
                // the name of an edited object stays: renaming is delete and add, as in the REST API
                value.put("name", editing);
                edits.put(viewer.user(), w, section, value, new ObjectEdits.Placement(Optional.empty(), Optional.empty(), revision(ctx)),
                        edits.newFile(w, section));
            }
            WebUi.seeOther(ctx, done);
        } catch (ApiError e) {
            refused.accept(form(w, spec, action, editing, value, Diagnostics.of(e)));
        }
    }

    private ObjectForm form(Workspace w, FormSpec spec, String action, String editing, Map<String, Object> value,
                            List<Diagnostics.Placed> problems) {
        String name = editing.isEmpty() ? String.valueOf(value.getOrDefault("name", "")) : editing;
        List<FormField> fields = new ArrayList<>();
        List<String> general = new ArrayList<>();
        for (Diagnostics.Placed p : problems) {
            boolean placed = spec.inputs().stream().anyMatch(in -> p.at(spec.singular(), name, in.key()));
            if (!placed) {
                general.add(p.message());
            }
        }
        for (FormSpec.Input in : spec.inputs()) {
            List<String> options = in.choices().map(c -> options(w, in, c)).orElse(List.of());
            Object stored = value.get(in.key());
            List<String> selected = in.input().equals("check") ? (Boolean.FALSE.equals(stored) ? List.of() : List.of("true"))
                    : FormSpec.selected(stored);
            fields.add(new FormField(in.key(), in.label(), in.input(), in.hint(), options, FormSpec.text(stored), selected,
                    problems.stream().filter(p -> p.at(spec.singular(), name, in.key())).map(Diagnostics.Placed::message).toList()));
        }
        return new ObjectForm(spec.kind(), spec.singular(), action, editing, fields, general, w.revision());
    }

    /** A picker's choices: the fixed ones, or the names of the objects of the kind it names. */
    private List<String> options(Workspace w, FormSpec.Input in, String choices) {
        if (!PendingChanges.KINDS.contains(choices)) {
            return List.of(choices.split(",", -1));
        }
        Stream<String> names = lists.list(w, Section.top(choices)).stream().map(l -> l.found().name());
        Stream<String> first = in.any() ? Stream.of("any") : in.input().equals("select") ? Stream.of("") : Stream.empty();
        return Stream.concat(first, names).toList();
    }
}
