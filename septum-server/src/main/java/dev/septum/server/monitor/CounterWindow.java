package dev.septum.server.monitor;

import dev.septum.server.store.CounterStore.Sample;
import dev.septum.verify.analysis.RuleCounters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The polled counters of a window as {@link RuleCounters}: per device and counter, how much it grew
 * over the polls at or after {@code since}, from the newest poll before it (the baseline) when one
 * is kept, else from zero, so a counter that had counted before polling began is taken as used
 * rather than called stale. A counter below its previous reading was reset (the table was replaced)
 * and counted from zero since. Counters are commented {@code policy/rule} with {@code reverse}
 * and {@code staged} after it (nftables); EOS counters name the rule the plan maps them to.
 */
public final class CounterWindow {
    private CounterWindow() {
    }

    public static RuleCounters of(List<Sample> samples, Instant since, String window) {
        Map<String, List<Sample>> byCounter = new LinkedHashMap<>();
        for (Sample s : samples) {
            byCounter.computeIfAbsent(s.device() + "\n" + s.match(), k -> new ArrayList<>()).add(s);
        }
        List<RuleCounters.Hit> hits = new ArrayList<>();
        byCounter.values().forEach(series -> hit(series, since).ifPresent(hits::add));
        return new RuleCounters(window, hits);
    }

    /** The samples of one counter, oldest first; empty when its comment names no rule. */
    private static Optional<RuleCounters.Hit> hit(List<Sample> series, Instant since) {
        String[] words = series.getFirst().rule().split(" ");
        int slash = words[0].indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        long grown = 0;
        Optional<Instant> lastHit = Optional.empty();
        Long previous = null;
        for (Sample s : series) {
            Instant at = Instant.parse(s.at());
            if (at.isBefore(since)) {
                previous = s.packets();
                continue;
            }
            long growth = previous == null || s.packets() < previous ? s.packets() : s.packets() - previous;
            if (growth > 0) {
                grown += growth;
                lastHit = Optional.of(at);
            }
            previous = s.packets();
        }
        boolean staged = List.of(words).contains("staged");
        return Optional.of(new RuleCounters.Hit(series.getFirst().device(), words[0].substring(0, slash), words[0].substring(slash + 1),
                staged, grown, lastHit));
    }
}
