package dev.septum.server.api;

import dev.septum.model.validate.Diagnostic;
import dev.septum.server.store.Build;
import dev.septum.server.store.ChangeControl;
import dev.septum.server.store.PolicyVersion;
import dev.septum.server.store.User;
import dev.septum.server.store.Workspace;
import dev.septum.verify.SemanticDiff;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of each stored object: lower-case state keys, no internal columns. */
public final class Views {
    private Views() {
    }

    public static Map<String, Object> user(User u) {
        return map("id", u.id(), "name", u.name(), "role", u.role().key());
    }

    public static Map<String, Object> account(dev.septum.server.store.UserStore.Account a) {
        Map<String, Object> view = user(a.user());
        view.put("state", a.state().key());
        view.put("createdAt", a.createdAt());
        return view;
    }

    public static Map<String, Object> version(PolicyVersion v, List<String> files) {
        return map("id", v.id(), "parent", v.parentId().orElse(null), "state", v.state().key(), "createdBy", v.createdBy(),
                "createdAt", v.createdAt(), "message", v.message(), "files", files);
    }

    public static Map<String, Object> workspace(Workspace w) {
        return map("id", w.id(), "name", w.name(), "baseVersion", w.baseVersionId().orElse(null), "state", w.state().key(),
                "revision", w.revision(), "createdBy", w.createdBy(), "createdAt", w.createdAt(), "updatedAt", w.updatedAt());
    }

    public static Map<String, Object> diagnostic(Diagnostic d) {
        return map("severity", d.severity().keyword(), "file", d.at().source(), "line", d.at().line(), "column", d.at().column(),
                "object", d.object(), "field", d.field(), "problem", d.problem(), "fix", d.fix(), "message", d.format());
    }

    public static List<Map<String, Object>> diagnostics(List<Diagnostic> ds) {
        return ds.stream().map(Views::diagnostic).toList();
    }

    public static Map<String, Object> change(SemanticDiff.Change c) {
        return map("summary", c.summary(), "enforcedAt", c.enforcedAt(), "family", c.family().name().toLowerCase(java.util.Locale.ROOT),
                "before", c.before().toString(), "after", c.after().toString(), "cell", c.cell(), "whole", c.whole(),
                "example", c.example().toString(), "decidedBefore", c.decidedBefore(), "decidedAfter", c.decidedAfter(),
                "keptBy", c.keptBy());
    }

    /** A build as stored; {@code stale} when the workspace was edited after it. */
    public static Map<String, Object> build(Build b, long currentRevision) {
        List<Map<String, Object>> devices = b.devices().stream().map(d -> map("device", d.device(), "platform", d.platform(),
                "changed", d.changed(), "diff", d.configDiff())).toList();
        return map("workspace", b.workspaceId(), "revision", b.revision(), "stale", b.revision() != currentRevision, "ok", b.ok(),
                "hash", b.hash(),
                "builtBy", b.builtBy(), "builtAt", b.builtAt(), "diagnostics", Json.read(b.diagnostics()),
                "semanticDiff", Json.read(b.semanticDiff()), "devices", devices);
    }

    public static Map<String, Object> changeControl(ChangeControl cc) {
        List<Map<String, Object>> devices = cc.devices().stream().map(d -> map("device", d.device(), "stage", d.stage(),
                "state", d.state().key(), "message", d.message(), "updatedAt", d.updatedAt(),
                "attention", d.state() == ChangeControl.DeviceState.UNKNOWN)).toList();
        return map("id", cc.id(), "workspace", cc.workspaceId(), "baseVersion", cc.baseVersionId().orElse(null),
                "version", cc.versionId(), "state", cc.state().key(), "submittedBy", cc.submittedBy(),
                "runningVersion", cc.runningVersionId().orElse(null), "approvedBy", cc.approvedBy().orElse(null),
                "approvedHash", cc.approvedHash().orElse(null), "runBy", cc.runBy().orElse(null), "createdAt", cc.createdAt(),
                "updatedAt", cc.updatedAt(), "message", cc.message(), "devices", devices,
                "attention", devices.stream().filter(d -> (boolean) d.get("attention")).map(d -> d.get("device")).toList());
    }

    /** A build for review, as text: changed verdicts, then each device's config diff. */
    public static String review(Workspace w, Build b) {
        StringBuilder text = new StringBuilder();
        text.append("workspace ").append(w.name()).append(" (").append(w.id()).append("), build of revision ").append(b.revision())
                .append(b.revision() != w.revision() ? " (stale: edited since)" : "").append(b.ok() ? "" : " FAILED").append('\n');
        text.append("\nverdict changes:\n");
        var changes = Json.read(b.semanticDiff());
        if (changes.isEmpty()) {
            text.append("  none\n");
        }
        changes.forEach(c -> text.append("  ").append(c.path("summary").asString()).append('\n'));
        text.append("\nconfig changes:\n");
        b.devices().stream().filter(Build.DeviceBuild::changed).forEach(d -> text.append(d.configDiff()));
        if (b.devices().stream().noneMatch(Build.DeviceBuild::changed)) {
            text.append("  none\n");
        }
        b.scripts().forEach(sc -> text.append("\n").append(sc.device()).append(" is deployed to its ").append(sc.driver())
                .append(" target as:\n").append(sc.script()));
        return text.toString();
    }

    /** An insertion-ordered map from alternating keys and values; values may be null (JSON null). */
    public static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
