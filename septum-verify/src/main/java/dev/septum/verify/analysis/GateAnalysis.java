package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.Finding;
import dev.septum.verify.Level;
import dev.septum.verify.PolicyChecker;
import dev.septum.verify.SemanticDiff;
import dev.septum.verify.analysis.Analysis.Note;
import dev.septum.verify.analysis.Analysis.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code check --against BASE}, the CI gate: the check of the changed policy, plus an error for
 * each way the change goes beyond what its author declared: more newly allowed cells than the
 * declared budget, a rule the change shadows that was not shadowed before, and (with sessions)
 * observed sessions whose verdict changes. The semantic diff and the break-set are in the answer,
 * so a failed run shows why.
 */
public final class GateAnalysis {
    public static final String KIND = "gate";
    private static final String SHADOWED = "shadowed";
    private static final String NEWLY_ALLOWED = SemanticDiff.Kind.NEWLY_ALLOWED.keyword();

    private GateAnalysis() {
    }

    /**
     * @param newlyAllowedBudget how many newly allowed cells (rows of the diff) the change declares
     */
    public static Analysis of(PolicyBuild base, String baseLabel, PolicyBuild changed, String label, Parameters checkParameters,
                              long newlyAllowedBudget, Optional<BreakSetAnalysis.Observed> observed) {
        Analysis check = CheckAnalysis.of(changed, label, checkParameters, Optional.empty());
        Analysis diff = DiffAnalysis.of(base, baseLabel, changed, label, false, observed);
        List<Finding> gate = new ArrayList<>();
        // the diff's changes table: enforcedAt, kind, family, before, after, whole, cell, ...
        List<String> allowed = diff.table("changes").rows().stream().filter(r -> NEWLY_ALLOWED.equals(r.get(1)))
                .map(r -> r.get(0) + ": " + r.get(6)).toList();
        if (allowed.size() > newlyAllowedBudget) {
            gate.add(new Finding(Level.ERROR, "over-budget", "change from " + baseLabel, allowed.size() + " newly allowed",
                    "the change newly allows " + allowed.size() + " cell(s), more than the " + newlyAllowedBudget
                            + " it declares (--newly-allowed-budget); review them and raise the budget in the pipeline if intended",
                    allowed, Optional.empty()));
        }
        Set<String> shadowedBefore = PolicyChecker.check(base, p -> { }).stream().filter(f -> f.kind().equals(SHADOWED))
                .map(Finding::subject).collect(Collectors.toSet());
        for (List<Object> f : check.table("findings").rows()) {
            // columns: level, kind, where, subject, message, related, example
            if (f.get(1).equals(SHADOWED) && !shadowedBefore.contains(f.get(3))) {
                gate.add(new Finding(Level.ERROR, "new-shadowed", (String) f.get(2), (String) f.get(3), "the change shadows it: " + f.get(4),
                        List.of(), Optional.empty()));
            }
        }
        observed.ifPresent(o -> {
            Table breaks = diff.table("breaks");
            if (!breaks.rows().isEmpty()) {
                gate.add(new Finding(Level.ERROR, "breaks-observed", "change from " + baseLabel, breaks.rows().size() + " group(s)",
                        diff.notes().stream().map(Note::text).filter(t -> t.contains("observed sessions change verdict")).findFirst()
                                .orElse("observed sessions change verdict"), List.of(), Optional.empty()));
            }
        });
        List<List<Object>> rows = new ArrayList<>(check.table("findings").rows());
        gate.forEach(f -> rows.add(CheckAnalysis.row(f)));
        List<Level> levels = rows.stream().map(r -> Level.valueOf(((String) r.getFirst()).toUpperCase(java.util.Locale.ROOT))).toList();
        List<Table> tables = new ArrayList<>();
        tables.add(new Table("findings", "findings", CheckAnalysis.columns(), rows));
        tables.addAll(diff.tables());
        List<Note> notes = new ArrayList<>(diff.notes());
        notes.add(new Note(gate.isEmpty() ? Level.INFO : Level.ERROR, gate.isEmpty() ? "gate passed: the change stays within what it declares"
                : "gate failed: " + gate.stream().map(Finding::kind).distinct().collect(Collectors.joining(", "))));
        notes.add(new Note(Level.INFO, CheckAnalysis.counts(levels)));
        SequencedMap<String, String> subject = new LinkedHashMap<>(check.subject());
        subject.put("against", baseLabel);
        subject.put("newlyAllowedBudget", Long.toString(newlyAllowedBudget));
        observed.ifPresent(o -> subject.put("sessions", o.window()));
        return new Analysis(KIND, "gate: " + label + " against " + baseLabel, subject, tables, notes);
    }

}
