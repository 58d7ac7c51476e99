package dev.septum.server.api;

import dev.septum.builder.recommend.Recommendation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Semaphore;

/**
 * The newest recommendation runs, in memory: a run is cheap to repeat and its answer is derived
 * from the flow store and a stored version, so it is not worth a table; a restart forgets them.
 * One per server, so a run started in the browser can be read over the API and the other way round.
 */
public final class RecommendationRuns {
    static final int KEPT = 20;

    /**
     * What a run read: a version, or a workspace at a revision, and its files.
     *
     * @param revision the workspace's revision when read (0 for a version)
     */
    public record Source(Optional<Long> version, Optional<Long> workspace, long revision, SortedMap<String, String> files, String label) {
    }

    public record Run(long id, String createdBy, String createdAt, Source source, Map<String, Object> request, Recommendation recommendation) {
    }

    private final LinkedHashMap<Long, Run> runs = new LinkedHashMap<>();
    /** A run holds up to a million sessions and the verifier: one at a time. */
    final Semaphore running = new Semaphore(1);
    private long next = 1;

    synchronized Run add(String by, String at, Source source, Map<String, Object> request, Recommendation r) {
        Run run = new Run(next++, by, at, source, request, r);
        runs.put(run.id(), run);
        if (runs.size() > KEPT) {
            runs.pollFirstEntry();
        }
        return run;
    }

    synchronized Optional<Run> get(long id) {
        return Optional.ofNullable(runs.get(id));
    }

    synchronized List<Run> newestFirst() {
        return new ArrayList<>(runs.sequencedValues().reversed());
    }
}
