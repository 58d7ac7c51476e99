package dev.septum.server.monitor;

import dev.septum.server.store.CounterStore.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A device's rule counters over its recent polls, per match (a bidirectional rule has its
 * {@code -reverse} match too): the packet count at each poll, the last poll at which it grew, and
 * whether it was hit at all in the window.
 */
public record RuleHits(String device, List<String> polls, List<Match> matches) {
    /** @param packets the counter at each poll (null where the poll had no counter for it) */
    public record Match(String match, String rule, List<Long> packets, long latest, Optional<String> lastHit) {
        public boolean neverHit() {
            return latest == 0;
        }
    }

    public static RuleHits of(String device, List<Sample> samples) {
        List<String> polls = new ArrayList<>(new TreeSet<>(samples.stream().map(Sample::at).toList()));
        Map<String, Map<String, Sample>> byMatch = new LinkedHashMap<>();
        for (Sample s : samples) {
            byMatch.computeIfAbsent(s.match(), m -> new LinkedHashMap<>()).put(s.at(), s);
        }
        List<Match> matches = new ArrayList<>();
        byMatch.forEach((match, at) -> {
            List<Long> packets = new ArrayList<>();
            Optional<String> lastHit = Optional.empty();
            Long previous = null;
            for (String poll : polls) {
                Sample s = at.get(poll);
                Long value = s == null ? null : s.packets();
                packets.add(value);
                // a counter that grew between polls (or starts above zero) was hit by then
                if (value != null && value > 0 && (previous == null || value > previous)) {
                    lastHit = Optional.of(poll);
                }
                previous = value == null ? previous : value;
            }
            String rule = at.values().iterator().next().rule();
            matches.add(new Match(match, rule, packets, previous == null ? 0 : previous, lastHit));
        });
        return new RuleHits(device, polls, matches);
    }
}
