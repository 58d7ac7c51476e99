package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.Ages;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.ResolutionSnapshot;
import dev.septum.compile.pipeline.ResolutionSnapshot.ResolvedGroup;
import dev.septum.verify.Level;
import dev.septum.verify.analysis.Analysis.Column;
import dev.septum.verify.analysis.Analysis.Note;
import dev.septum.verify.analysis.Analysis.Table;
import dev.septum.verify.analysis.Analysis.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * {@code resolve}: every group's members as the build resolved them, and each source's health:
 * {@code ok}, {@code stale} (its last attempt failed; the members of its last good answer are
 * kept, with their age) or {@code never} (it never answered, which blocks the build).
 */
public final class ResolutionAnalysis {
    public static final String KIND = "resolve";
    private static final List<Column> GROUPS = List.of(
            Column.of("group", "group", Type.TEXT),
            Column.of("source", "source", Type.TEXT),
            Column.of("health", "health", Type.TEXT),
            Column.of("age", "age", Type.TEXT),
            Column.of("members", "members", Type.NUMBER),
            Column.of("problem", "problem", Type.TEXT).below());
    private static final List<Column> MEMBERS = List.of(
            Column.of("group", "group", Type.TEXT),
            Column.of("member", "member", Type.TEXT),
            Column.of("categories", "categories", Type.LIST));

    private ResolutionAnalysis() {
    }

    public static Analysis of(PolicyBuild build, String policy) {
        ResolutionSnapshot snapshot = build.resolution();
        List<List<Object>> groups = new ArrayList<>();
        List<List<Object>> members = new ArrayList<>();
        List<Note> notes = new ArrayList<>();
        for (ResolvedGroup g : snapshot.groups().values()) {
            String health = !g.resolved() ? "never" : g.problem().isPresent() ? "stale" : "ok";
            String age = g.age(snapshot.takenAt()).map(Ages::text).orElse("");
            groups.add(Arrays.asList(g.group(), g.source(), health, age, (long) g.members().size(), g.problem().orElse(null)));
            g.members().forEach(m -> members.add(Arrays.asList(g.group(), m.prefix().toString(),
                    m.categories().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + "=" + e.getValue()).toList())));
            switch (health) {
                case "never" -> notes.add(new Note(Level.ERROR, "group " + g.group() + " has never resolved, which blocks "
                        + "the build: " + g.problem().orElse("")));
                case "stale" -> notes.add(new Note(Level.WARNING, "group " + g.group() + " keeps members " + age
                        + " old: its " + g.source() + " source failed: " + g.problem().orElse("")));
                default -> {
                    // healthy: the table says it
                }
            }
        }
        SequencedMap<String, String> subject = new LinkedHashMap<>();
        subject.put("policy", policy);
        subject.put("resolvedAt", snapshot.takenAt().toString());
        return new Analysis(KIND, "group members of " + policy, subject,
                List.of(new Table("groups", "groups and their sources", GROUPS, groups),
                        new Table("members", "members", MEMBERS, members)), notes);
    }
}
