package dev.septum.server.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the last drift check of each device on this server found, for /metrics: a check reads the
 * device back (slow, and it touches the device), so the metric shows the last answer and when it
 * came instead of reading every device on every scrape. A check that could not read the device
 * leaves the last answer as it was; its time shows how old it is.
 */
public final class DriftChecks {
    /** @param inSync whether the device held the designed config; {@code version} is the approved version it was compared with */
    public record Last(String device, long version, boolean inSync, Instant at) {
    }

    private final Map<String, Last> last = new ConcurrentHashMap<>();

    void record(String device, long version, boolean inSync) {
        last.put(device, new Last(device, version, inSync, Instant.now()));
    }

    public Optional<Last> last(String device) {
        return Optional.ofNullable(last.get(device));
    }

    public List<Last> all() {
        return List.copyOf(last.values());
    }
}
