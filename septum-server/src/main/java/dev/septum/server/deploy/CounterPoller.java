package dev.septum.server.deploy;

import dev.septum.deploy.nftables.CounterReading;
import dev.septum.server.store.Clock;
import dev.septum.server.store.CounterStore;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.TargetStore.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every nftables target's named counters (one per rendered match) and stores them as one
 * sample per counter, on demand or every {@code interval}. EOS counters ({@code show traffic-policy
 * ... detail}) are not read yet.
 */
public final class CounterPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CounterPoller.class);

    private final TargetStore targets;
    private final CounterStore counters;
    private final Function<String, Optional<String>> secrets;
    private final Thread loop;

    public CounterPoller(TargetStore targets, CounterStore counters, Duration interval, Function<String, Optional<String>> secrets) {
        this.targets = targets;
        this.secrets = secrets;
        this.counters = counters;
        this.loop = interval.isZero() ? null : Thread.ofVirtual().name("counter-poller").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(interval);
                    pollAll();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("polling counters failed; trying again in {}", interval, e);
                }
            }
        });
    }

    /** Polls every nftables target now; returns the number of samples per device. */
    public Map<String, Integer> pollAll() {
        Map<String, Integer> polled = new LinkedHashMap<>();
        for (Target t : targets.list()) {
            if (NftTargets.isNftables(t)) {
                List<CounterStore.Sample> samples = poll(t);
                counters.add(samples);
                polled.put(t.device(), samples.size());
            }
        }
        return polled;
    }

    private List<CounterStore.Sample> poll(Target t) {
        String at = Clock.now();
        List<CounterStore.Sample> samples = new ArrayList<>();
        for (CounterReading r : NftTargets.driver(t, secrets).counters(t.family())) {
            samples.add(new CounterStore.Sample(t.device(), at, r.match(), r.comment(), r.packets(), r.bytes()));
        }
        return samples;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.interrupt();
        }
    }
}
