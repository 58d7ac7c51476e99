package dev.septum.verify.analysis;

import dev.septum.model.Policy;
import dev.septum.model.PolicyModel;
import dev.septum.model.Rule;
import dev.septum.verify.Finding;
import dev.septum.verify.Level;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules past or near their {@code expires} day: an expired rule is an error (it still enforces,
 * and its removal is a reviewed change, never a silent one), a rule expiring within the warning
 * window a warning. A rule is in force through its {@code expires} day and expired the day after.
 */
public final class ExpiryFindings {
    public static final String PARAMETER = "expiry-warning";
    public static final String DEFAULT_WINDOW = "14d";
    private static final Pattern DAYS = Pattern.compile("(\\d{1,4})d");

    private ExpiryFindings() {
    }

    /** How many days ahead to warn, from e.g. {@code 14d}. */
    public static long days(String window) {
        Matcher m = DAYS.matcher(window);
        if (!m.matches()) {
            throw new BadParameter(PARAMETER, "'" + window + "' is not a number of days", "give days ahead to warn, e.g. 14d (0d: only expired rules)");
        }
        return Long.parseLong(m.group(1));
    }

    public static List<Finding> find(PolicyModel model, LocalDate today, long warnDays) {
        List<Finding> findings = new ArrayList<>();
        for (Policy p : model.policies().values()) {
            for (Rule r : p.rules()) {
                r.lifecycle().expires().ifPresent(day -> finding(p, r, day, today, warnDays).ifPresent(findings::add));
            }
        }
        return findings;
    }

    private static Optional<Finding> finding(Policy p, Rule r, LocalDate day, LocalDate today, long warnDays) {
        long left = ChronoUnit.DAYS.between(today, day);
        String who = "owner " + r.lifecycle().owner() + (r.lifecycle().ticket().isEmpty() ? "" : ", ticket " + r.lifecycle().ticket());
        if (left < 0) {
            return Optional.of(new Finding(Level.ERROR, "expired", "policy " + p.name(), r.name(),
                    "expired on " + day + " (" + who + ") and still enforces: remove it through a reviewed change, or extend 'expires'",
                    List.of(), Optional.empty()));
        }
        if (left <= warnDays) {
            return Optional.of(new Finding(Level.WARNING, "expiring", "policy " + p.name(), r.name(),
                    "expires on " + day + ", " + (left == 0 ? "today" : "in " + left + (left == 1 ? " day" : " days")) + " (" + who + ")",
                    List.of(), Optional.empty()));
        }
        return Optional.empty();
    }
}
