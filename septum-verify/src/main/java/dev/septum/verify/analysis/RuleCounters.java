package dev.septum.verify.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the devices' own rule counters counted in an observation window, per rule: the second
 * source of the staged and stale reports next to the monitor node's sessions. A server fills it
 * from the counters it polls; the CLI, which polls no device, has none.
 *
 * @param window how the window was given ({@code 7d}, an instant), as the reports name it
 * @param hits one per device and counter of a rule ({@code -reverse} matches are counters of their rule too)
 */
public record RuleCounters(String window, List<Hit> hits) {
    /**
     * @param packets what the counter counted within the window (its growth over the polls of the
     *                window, a reset counted from zero; its first reading when no earlier poll is kept)
     * @param lastHit the last poll of the window at which it had grown
     * @param staged  whether it is a staged rule's counter (counts, decides nothing)
     */
    public record Hit(String device, String policy, String rule, boolean staged, long packets, Optional<Instant> lastHit) {
    }

    public RuleCounters {
        hits = List.copyOf(hits);
    }

    public static RuleCounters none() {
        return new RuleCounters("", List.of());
    }

    /** The counters of one rule: its staged counters, or those that enforce it. */
    public List<Hit> of(String policy, String rule, boolean staged) {
        return hits.stream().filter(h -> h.policy().equals(policy) && h.rule().equals(rule) && h.staged() == staged).toList();
    }

    /** What they counted in all. */
    public static long packets(List<Hit> hits) {
        return hits.stream().mapToLong(Hit::packets).sum();
    }

    /** When any of them last grew. */
    public static Optional<Instant> lastHit(List<Hit> hits) {
        return hits.stream().flatMap(h -> h.lastHit().stream()).max(Instant::compareTo);
    }
}
