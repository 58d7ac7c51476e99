package dev.septum.verify.analysis;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.verify.EnforcementGaps;
import dev.septum.verify.Finding;
import dev.septum.verify.Level;
import dev.septum.verify.PolicyChecker;
import dev.septum.verify.analysis.Analysis.Column;
import dev.septum.verify.analysis.Analysis.Note;
import dev.septum.verify.analysis.Analysis.Table;
import dev.septum.verify.analysis.Analysis.Type;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code check}: the findings over every enforced traffic-policy (shadowed, redundant, overlapping
 * rules, stateless exposures), the model's hygiene, rules past or near their expiry day, and the
 * enforcement gaps of a known topology.
 */
public final class CheckAnalysis {
    public static final String KIND = "check";
    public static final String MIN_LEVEL = "min-level";
    private static final List<Column> COLUMNS = List.of(
            Column.of("level", "level", Type.TEXT),
            Column.of("kind", "kind", Type.TEXT),
            Column.of("where", "where", Type.TEXT),
            Column.of("subject", "subject", Type.TEXT),
            Column.of("message", "finding", Type.TEXT).below(),
            Column.of("related", "because of", Type.LIST).below(),
            Column.of("example", "e.g.", Type.TEXT).below());

    private CheckAnalysis() {
    }

    public static SequencedMap<String, String> parameters() {
        SequencedMap<String, String> p = new LinkedHashMap<>();
        p.put(MIN_LEVEL, "leave out findings below this level: " + levels() + " (default info)");
        p.put(ExpiryFindings.PARAMETER, "warn about rules expiring within this many days, e.g. 14d (default "
                + ExpiryFindings.DEFAULT_WINDOW + "); expired rules are errors");
        return p;
    }

    public static Analysis of(PolicyBuild build, String policy, Parameters parameters, Optional<? extends Topology> topology) {
        return of(build, policy, parameters, topology, progress -> { });
    }

    /** As {@link #of(PolicyBuild, String, Parameters, Optional)}, telling {@code progress} which traffic-policy it analyses. */
    public static Analysis of(PolicyBuild build, String policy, Parameters parameters, Optional<? extends Topology> topology,
                              Consumer<String> progress) {
        Level minLevel = parameters.get(MIN_LEVEL).map(CheckAnalysis::level).orElse(Level.INFO);
        long expiryDays = ExpiryFindings.days(parameters.get(ExpiryFindings.PARAMETER).orElse(ExpiryFindings.DEFAULT_WINDOW));
        List<Finding> all = new ArrayList<>(PolicyChecker.check(build, progress));
        all.addAll(ExpiryFindings.find(build.model(), LocalDate.now(ZoneOffset.UTC), expiryDays));
        all.addAll(StagedFindings.find(build));
        topology.ifPresent(t -> build.plan(t.enforcingDevice()).ifPresent(plan ->
                all.addAll(EnforcementGaps.find(plan, t.unenforced()))));
        List<Finding> findings = all.stream().filter(f -> f.level().compareTo(minLevel) <= 0).toList();
        List<List<Object>> rows = findings.stream().map(CheckAnalysis::row).toList();
        String counts = counts(findings.stream().map(Finding::level).toList());
        SequencedMap<String, String> subject = new LinkedHashMap<>();
        subject.put("policy", policy);
        subject.put(MIN_LEVEL, minLevel.keyword());
        return new Analysis(KIND, "check of " + policy, subject, List.of(new Table("findings", "findings", COLUMNS, rows)),
                List.of(new Note(Level.INFO, counts)));
    }

    static List<Column> columns() {
        return COLUMNS;
    }

    static List<Object> row(Finding f) {
        return Arrays.asList(f.level().keyword(), f.kind(), f.where(), f.subject(), f.message(), f.related(),
                f.example().map(Object::toString).orElse(null));
    }

    /** The closing note: {@code 2 errors, 1 warning, 3 info}. */
    static String counts(List<Level> levels) {
        return Arrays.stream(Level.values()).map(l -> count(levels, l)).collect(Collectors.joining(", "));
    }

    /** {@code 2 errors}, {@code 1 warning}, {@code 3 info}: the level's own word, in text and JSON alike. */
    private static String count(List<Level> levels, Level level) {
        long n = levels.stream().filter(l -> l == level).count();
        return n + " " + level.keyword() + (n == 1 || level == Level.INFO ? "" : "s");
    }

    private static Level level(String text) {
        return Arrays.stream(Level.values()).filter(l -> l.keyword().equals(text.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new BadParameter(MIN_LEVEL, "'" + text + "' is not a level", "use " + levels()));
    }

    private static String levels() {
        return Arrays.stream(Level.values()).map(Level::keyword).collect(Collectors.joining(", "));
    }
}
