package dev.septum.server.monitor;

import dev.septum.flows.store.FlowStore;
import java.util.Optional;

/**
 * What the session routes read: the flow store in the data directory (written by the embedded
 * collector, or by a {@code septum collect} pointed at the same directory), the tagger that follows
 * the newest policy version, and the collector when {@code --collect} started one.
 */
public record Monitoring(FlowStore store, NewestPolicyTagger tags, Optional<EmbeddedCollector> collector) {
}
