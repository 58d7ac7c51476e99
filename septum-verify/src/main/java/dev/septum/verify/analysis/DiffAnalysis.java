package dev.septum.verify.analysis;

import dev.septum.compile.diff.ConfigDiff;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.Level;
import dev.septum.verify.SemanticDiff;
import dev.septum.verify.SemanticDiff.Change;
import dev.septum.verify.analysis.Analysis.Column;
import dev.septum.verify.analysis.Analysis.Note;
import dev.septum.verify.analysis.Analysis.Table;
import dev.septum.verify.analysis.Analysis.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * {@code diff}, the review of a change: the packets whose verdict differs between two versions,
 * each named by the rules' own groups and services with an example packet and the matches deciding
 * it before and after, and each device's config line diff.
 */
public final class DiffAnalysis {
    public static final String KIND = "diff";
    private static final List<Column> CHANGES = List.of(
            Column.of("enforcedAt", "enforced at", Type.TEXT),
            Column.of("kind", "change", Type.TEXT),
            Column.of("family", "family", Type.TEXT),
            Column.of("before", "before", Type.TEXT),
            Column.of("after", "after", Type.TEXT),
            Column.of("whole", "whole cell", Type.FLAG),
            Column.of("cell", "source -> destination, service", Type.TEXT),
            Column.of("example", "e.g.", Type.TEXT).below(),
            Column.of("decidedBefore", "decided before by", Type.TEXT).below(),
            Column.of("decidedAfter", "decided after by", Type.TEXT).below(),
            Column.of("keptBy", "old verdict kept inside it by", Type.LIST).below());
    private static final List<Column> CONFIGS = List.of(
            Column.of("device", "device", Type.TEXT),
            Column.of("diff", "config diff", Type.LINES).below());

    private DiffAnalysis() {
    }

    /**
     * @param configs whether to add each device's config line diff
     */
    public static Analysis of(PolicyBuild before, String beforeLabel, PolicyBuild after, String afterLabel, boolean configs) {
        return of(before, beforeLabel, after, afterLabel, configs, Optional.empty());
    }

    /**
     * @param observed sessions to test against the change: adds the break-set's table, the observed
     *                 sessions whose verdict changes ({@link BreakSetAnalysis})
     */
    public static Analysis of(PolicyBuild before, String beforeLabel, PolicyBuild after, String afterLabel, boolean configs,
                              Optional<BreakSetAnalysis.Observed> observed) {
        List<Change> changes = SemanticDiff.compare(before, after);
        List<Table> tables = new ArrayList<>();
        tables.add(new Table("changes", "verdict changes", CHANGES, changes.stream().map(DiffAnalysis::row).toList()));
        List<Note> notes = new ArrayList<>();
        if (changes.isEmpty()) {
            notes.add(new Note(Level.INFO, "no packet changes verdict"));
        }
        if (configs) {
            List<List<Object>> rows = configDiffs(before, after).entrySet().stream()
                    .map(e -> Arrays.<Object>asList(e.getKey(), e.getValue())).toList();
            tables.add(new Table("configs", "config changes", CONFIGS, rows));
            if (rows.isEmpty()) {
                notes.add(new Note(Level.INFO, "no device's config changes"));
            }
        }
        SequencedMap<String, String> subject = new LinkedHashMap<>();
        subject.put("before", beforeLabel);
        subject.put("after", afterLabel);
        observed.ifPresent(o -> {
            BreakSetAnalysis.Part breaks = BreakSetAnalysis.part(before, after, o);
            tables.add(breaks.table());
            notes.addAll(breaks.notes());
            subject.put("sessions", o.window());
        });
        return new Analysis(KIND, "changes from " + beforeLabel + " to " + afterLabel, subject, tables, notes);
    }

    private static List<Object> row(Change c) {
        return Arrays.asList(c.enforcedAt(), c.kind().keyword(), c.family().keyword(), c.before().keyword(), c.after().keyword(),
                c.whole(), c.cell(), c.example().toString(), c.decidedBefore(), c.decidedAfter(), c.keptBy());
    }

    /** Each device's unified diff, devices of the new version first, then the ones it removes. */
    private static Map<String, List<String>> configDiffs(PolicyBuild a, PolicyBuild b) {
        Map<String, String> before = configs(a);
        Map<String, String> after = configs(b);
        Map<String, List<String>> diffs = new LinkedHashMap<>();
        for (String device : after.keySet()) {
            List<String> diff = ConfigDiff.unified(device, before.getOrDefault(device, ""), after.get(device));
            if (!diff.isEmpty()) {
                diffs.put(device, diff);
            }
        }
        before.keySet().stream().filter(d -> !after.containsKey(d))
                .forEach(d -> diffs.put(d, ConfigDiff.unified(d, before.get(d), "")));
        return diffs;
    }

    private static Map<String, String> configs(PolicyBuild build) {
        Map<String, String> configs = new LinkedHashMap<>();
        build.deviceConfigs().forEach(c -> configs.put(c.device(), c.config()));
        return configs;
    }
}
