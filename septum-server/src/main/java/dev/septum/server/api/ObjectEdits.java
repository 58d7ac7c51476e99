package dev.septum.server.api;

import dev.septum.model.write.YamlObjectEditor;
import dev.septum.model.write.YamlObjectEditor.Section;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.server.workflow.PolicyObjects;
import dev.septum.server.workflow.PolicyObjects.Located;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reading and writing one model object of a workspace, for the REST object routes and the web UI
 * alike: a change rewrites only that object's lines of the file holding it, the whole workspace is
 * validated before it is stored, and a refusal carries the loader's diagnostics.
 */
public final class ObjectEdits {
    private final Services s;
    private final WorkspaceWrites writes;

    public ObjectEdits(Services s) {
        this.s = s;
        this.writes = new WorkspaceWrites(s);
    }

    /** Where a new object goes and which revision the edit was made on. */
    public record Placement(Optional<String> file, Optional<String> before, Optional<Long> ifMatch) {
        public static Placement inPlace() {
            return new Placement(Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** A stored edit: the answer of the write (revision, diagnostics), the object as now stored, and whether it is new. */
    public record Stored(Map<String, Object> answer, boolean created) {
    }

    public PolicyObjects objects(Workspace w) {
        return new PolicyObjects(new TreeMap<>(s.workspaces().files(w.id())));
    }

    public List<Located> list(Workspace w, Section section) {
        return list(w, objects(w), section);
    }

    /** As {@link #list(Workspace, Section)}, from the workspace's objects already read (e.g. kept for its revision). */
    public List<Located> list(Workspace w, PolicyObjects objects, Section section) {
        return editable(w, () -> objects.list(section));
    }

    public Located existing(Workspace w, Section section, String name) {
        return editable(w, () -> objects(w).find(section, name)).orElseThrow(() -> notFound(w, section, name));
    }

    /** The rules section of a policy that exists in the workspace. */
    public Section rulesOf(Workspace w, String policy) {
        existing(w, Section.top("policies"), policy);
        return Section.rulesOf(policy);
    }

    /**
     * Replaces the object where it is (or moves it before another), or adds it: to the given file,
     * else the one {@code newFile} names.
     */
    public Stored put(User caller, Workspace w, Section section, Map<String, Object> value, Placement at, String newFile) {
        WorkspaceWrites.open(w);
        String name = value.get("name") instanceof String n ? n : "";
        if (name.isBlank()) {
            throw ApiError.badRequest("name", "is missing", "give the " + singular(section) + " a name");
        }
        PolicyObjects objects = objects(w);
        Optional<Located> old = editable(w, () -> objects.find(section, name));
        at.before().ifPresent(b -> checkBefore(objects, section, name, b));
        PolicyObjects.Edit edit;
        if (old.isPresent()) {
            at.file().filter(f -> !f.equals(old.get().file())).ifPresent(f -> {
                throw ApiError.conflict("file", "the object lives in " + old.get().file() + ", not " + f,
                        "leave ?file out to replace it in place, or DELETE it and PUT it again with ?file=" + f);
            });
            edit = editable(w, () -> at.before().isPresent() ? objects.move(old.get(), section, value, at.before().get())
                    : objects.replace(old.get(), section, value));
        } else {
            edit = editable(w, () -> objects.insert(at.file().orElse(newFile), section, value, at.before()));
        }
        Map<String, Object> stored = new LinkedHashMap<>(writes.store(caller, w, edit.file(), Optional.of(edit.text()), at.ifMatch(), false));
        YamlObjectEditor.of(edit.text()).find(section, name).ifPresent(found -> stored.put("object", view(new Located(edit.file(), found))));
        return new Stored(stored, old.isEmpty());
    }

    /** Adds a new object; refused when one of that name exists (a form adding one must not replace another). */
    public Stored create(User caller, Workspace w, Section section, Map<String, Object> value, String newFile) {
        Object name = value.get("name");
        if (name instanceof String n && editable(w, () -> objects(w).find(section, n)).isPresent()) {
            throw ApiError.conflict("name", "a " + singular(section) + " named '" + n + "' exists"
                    + section.policy().map(p -> " in policy '" + p + "'").orElse(""), "pick another name, or edit that one");
        }
        return put(caller, w, section, value, Placement.inPlace(), newFile);
    }

    /** The file a new object of the section goes to: the one holding its kind already, else KIND.yaml. */
    public String newFile(Workspace w, Section section) {
        return editable(w, () -> objects(w).fileHolding(section)).orElse(section.key() + ".yaml");
    }

    public Map<String, Object> delete(User caller, Workspace w, Section section, String name, Optional<Long> ifMatch) {
        WorkspaceWrites.open(w);
        Located old = existing(w, section, name);
        PolicyObjects.Edit edit = editable(w, () -> objects(w).delete(old, section));
        return writes.store(caller, w, edit.file(), Optional.of(edit.text()), ifMatch, false);
    }

    /** Deletes rules named {@code POLICY/RULE} from a workspace one by one, each as its own edit of the latest revision. */
    void deleteRules(User caller, long workspace, List<String> rules) {
        for (String rule : rules) {
            String policy = rule.substring(0, rule.indexOf('/'));
            Workspace now = writes.find(workspace);
            delete(caller, now, rulesOf(now, policy), rule.substring(policy.length() + 1), Optional.empty());
        }
    }

    public static Map<String, Object> view(Located l) {
        return Views.map("name", l.found().value().get("name"), "file", l.file(), "line", l.found().line(), "object", l.found().value());
    }

    public static String singular(Section section) {
        return switch (section.key()) {
            case "policies" -> "policy";
            case "rules" -> "rule";
            default -> section.key().substring(0, section.key().length() - 1);
        };
    }

    private static void checkBefore(PolicyObjects objects, Section section, String name, String before) {
        if (before.equals(name)) {
            throw ApiError.badRequest("before", "names the object itself", "name the object it should come before");
        }
        if (objects.find(section, before).isEmpty()) {
            throw ApiError.badRequest("before", "'" + before + "' is not a " + singular(section) + " of this workspace"
                    + section.policy().map(p -> "'s policy '" + p + "'").orElse(""), "name an existing " + singular(section)
                    + ", or leave ?before out to append");
        }
    }

    static ApiError notFound(Workspace w, Section section, String name) {
        return ApiError.notFound(singular(section) + " '" + name + "'" + section.policy().map(p -> " in policy '" + p + "'").orElse("")
                        + " in workspace " + w.id(),
                "list them with GET /api/workspaces/" + w.id()
                        + section.policy().map(p -> "/policies/" + p + "/rules").orElse("/objects/" + section.key()));
    }

    /** A file the editor cannot edit object by object is the client's to fix, named, never a server fault. */
    static <T> T editable(Workspace w, Supplier<T> action) {
        try {
            return action.get();
        } catch (YamlObjectEditor.NotEditable e) {
            String file = e.file().orElse("files");
            throw ApiError.badRequest(file, e.file().map(f -> f + ": ").orElse("") + e.getMessage(),
                    "fix the file as a whole with PUT /api/workspaces/" + w.id() + "/files/" + file + ", then edit its objects");
        }
    }
}
