package dev.septum.server.deploy;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.deploy.eapi.EosCounters;
import dev.septum.deploy.nftables.CounterReading;
import dev.septum.server.build.StoredBuilds;
import dev.septum.server.store.Clock;
import dev.septum.server.store.CounterStore;
import dev.septum.server.store.PolicyStore;
import dev.septum.server.store.PolicyVersion;
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
 * Reads every target's per-rule hit counters and stores them as one sample per counter, on demand
 * or every {@code interval}: nftables targets' named counters (one per rendered match, commented
 * {@code policy/rule}) and EOS switches' {@code show traffic-policy counters}, mapped to rules
 * through the newest approved version's plan for the switch. One device failing does not stop the others;
 * its reason is reported (and logged without a stack trace: it is the device, not the server).
 */
public final class CounterPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CounterPoller.class);

    /** Samples stored per device, and why each device that could not be read was not. */
    public record Poll(Map<String, Integer> polled, Map<String, String> failed) {
    }

    private final TargetStore targets;
    private final CounterStore counters;
    private final PolicyStore policies;
    private final Function<String, Optional<String>> secrets;
    private final Thread loop;

    /** @param leads the schedule polls only while this is true: one server of several sharing a database (the leader) */
    public CounterPoller(TargetStore targets, CounterStore counters, PolicyStore policies, Duration interval,
                         Function<String, Optional<String>> secrets, java.util.function.BooleanSupplier leads) {
        this.targets = targets;
        this.secrets = secrets;
        this.counters = counters;
        this.policies = policies;
        this.loop = interval.isZero() ? null : Thread.ofVirtual().name("counter-poller").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(interval);
                    if (!leads.getAsBoolean()) {
                        continue;
                    }
                    pollAll().failed().forEach((device, why) -> LOG.warn("counters of {} not read: {}", device, why));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("polling counters failed; trying again in {}", interval, e);
                }
            }
        });
    }

    /** Polls every target now. */
    public Poll pollAll() {
        Map<String, Integer> polled = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (Target t : targets.list()) {
            try {
                Optional<List<CounterStore.Sample>> samples = poll(t);
                if (samples.isPresent()) {
                    counters.add(samples.get());
                    polled.put(t.device(), samples.get().size());
                }
            } catch (RuntimeException e) {
                // the drivers' messages name the device, the cause and the fix
                failed.put(t.device(), e.getMessage());
            }
        }
        return new Poll(polled, failed);
    }

    private Optional<List<CounterStore.Sample>> poll(Target t) {
        String at = Clock.now();
        List<CounterStore.Sample> samples = new ArrayList<>();
        if (NftTargets.isNftables(t)) {
            for (CounterReading r : NftTargets.driver(t, secrets).counters(t.family())) {
                samples.add(new CounterStore.Sample(t.device(), at, r.match(), r.comment(), r.packets(), r.bytes()));
            }
        } else if (t.driver().equals(EapiDeployer.DRIVER)) {
            for (EosCounters.MatchCounter c : EapiDeployer.driver(t, secrets).counters(plan(t.device()))) {
                samples.add(new CounterStore.Sample(t.device(), at, c.match(), c.rule(), c.packets(), c.bytes()));
            }
        } else {
            return Optional.empty();
        }
        return Optional.of(samples);
    }

    /** The newest approved version's plan for the device: how its match names map to rules. */
    private DevicePlan plan(String device) {
        PolicyVersion head = policies.current().orElseThrow(() -> new IllegalStateException(
                "there is no approved policy version to map the counters of " + device + " to rules; import one with POST /api/versions"));
        return StoredBuilds.version(policies, head.id()).plan(device).orElseThrow(() ->
                new IllegalStateException("version " + head.id() + " has no device " + device
                        + ", so its counters cannot be mapped to rules; remove its target or add the device"));
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.interrupt();
        }
    }
}
