package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.model.Policy;
import dev.septum.model.Rule;
import dev.septum.verify.Finding;
import dev.septum.verify.Level;
import dev.septum.verify.analysis.Analysis.Column;
import dev.septum.verify.analysis.Analysis.Note;
import dev.septum.verify.analysis.Analysis.Table;
import dev.septum.verify.analysis.Analysis.Type;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * {@code expired}: the rules {@code check} reports as {@code expired} (past their {@code expires}
 * day), who answers for each, and the policy without them, with that removal's break-set over the
 * observed sessions when there are any: the removal as a reviewed change, never a silent one.
 */
public final class ExpiredAnalysis {
    public static final String KIND = "expired";
    private static final List<Column> COLUMNS = List.of(
            Column.of("policy", "policy", Type.TEXT),
            Column.of("rule", "rule", Type.TEXT),
            Column.of("expires", "expired after", Type.TEXT),
            Column.of("owner", "owner", Type.TEXT),
            Column.of("ticket", "ticket", Type.TEXT));

    private ExpiredAnalysis() {
    }

    /** The report, the expired rules as {@code policy/rule}, and the policy without them. */
    public record Result(Analysis analysis, List<String> expired, Optional<RebuiltPolicy> proposal) {
    }

    public static Result of(PolicyBuild build, String label, LocalDate today, Optional<BreakSetAnalysis.Observed> observed) {
        List<String> expired = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (Finding f : ExpiryFindings.find(build.model(), today, 0)) {
            if (f.kind().equals(KIND)) {
                Policy p = build.model().policies().get(f.where().substring("policy ".length()));
                Rule r = p.rules().stream().filter(rule -> rule.name().equals(f.subject())).findFirst().orElseThrow();
                expired.add(p.name() + "/" + r.name());
                rows.add(Arrays.asList(p.name(), r.name(), r.lifecycle().expires().orElseThrow().toString(), r.lifecycle().owner(),
                        r.lifecycle().ticket().isEmpty() ? null : r.lifecycle().ticket()));
            }
        }
        List<Table> tables = new ArrayList<>(List.of(new Table("expired", "expired rules", COLUMNS, rows)));
        List<Note> notes = new ArrayList<>();
        Optional<RebuiltPolicy> proposal = Optional.empty();
        if (expired.isEmpty()) {
            notes.add(new Note(Level.INFO, "nothing expired (" + today + ")"));
        } else {
            RebuiltPolicy without = RebuiltPolicy.without(build, "without expired rules", expired);
            proposal = Optional.of(without);
            notes.add(new Note(Level.ERROR, expired.size() + " rule(s) expired and still enforce: " + String.join(", ", expired)));
            observed.ifPresent(o -> {
                BreakSetAnalysis.Part breaks = BreakSetAnalysis.part(build, without.build(), o);
                tables.add(breaks.table());
                notes.addAll(breaks.notes());
            });
        }
        SequencedMap<String, String> subject = new LinkedHashMap<>();
        subject.put("policy", label);
        subject.put("today", today.toString());
        observed.ifPresent(o -> subject.put("sessions", o.window()));
        return new Result(new Analysis(KIND, "expired rules of " + label, subject, tables, notes), List.copyOf(expired), proposal);
    }
}
