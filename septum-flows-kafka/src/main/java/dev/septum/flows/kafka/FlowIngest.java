package dev.septum.flows.kafka;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One member of the ingest consumer group: polls session updates and applies each poll's batch to
 * the {@link CentralStore} with its offsets in one transaction. Kafka's committed offsets are not
 * used at all; on every assignment the consumer seeks to the offsets the store holds, so what is in
 * the store and where reading resumes can never disagree, whatever kills the process.
 */
public final class FlowIngest implements AutoCloseable {
    /**
     * How this consumer connects.
     *
     * @param member a stable name of this member (Kafka static membership), so a restarted member takes
     *               its partitions back at once instead of after the dead one's session timeout; empty
     *               for a member that is new on every start
     */
    public record Config(String brokers, String topic, String group, java.util.Optional<String> member, int maxBatch) {
    }

    /** A member that stops answering loses its partitions to the others after this long. */
    static final int SESSION_TIMEOUT_MS = 10_000;

    private final Config config;
    private final CentralStore store;
    private final KafkaConsumer<String, byte[]> consumer;
    private final SessionUpdateCodec codec = new SessionUpdateCodec();
    private final Consumer<String> log;
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();
    private final AtomicLong reseeks = new AtomicLong();
    private final AtomicLong storeFailures = new AtomicLong();

    /** @param log one line for each thing an operator should know (a bad message, a store failure) */
    public FlowIngest(Config config, CentralStore store, Consumer<String> log) {
        this.config = config;
        this.store = store;
        this.log = log;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.brokers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, SESSION_TIMEOUT_MS / 4);
        config.member().ifPresent(m -> p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, m));
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls and applies until {@link #wakeup} (from another thread) or {@code keepGoing} says stop. */
    public void run(java.util.function.BooleanSupplier keepGoing) {
        consumer.subscribe(List.of(config.topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // offsets live in the store, committed with the rows: nothing to save here
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                seekToStored(partitions);
            }
        });
        try {
            while (keepGoing.getAsBoolean()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    applyOrRetry(records);
                }
            }
        } catch (WakeupException e) {
            // asked to stop
        }
    }

    /** Ends a blocking poll from another thread (a signal handler). */
    public void wakeup() {
        consumer.wakeup();
    }

    private void seekToStored(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Long> stored;
        try {
            stored = store.offsets(config.topic(), partitions.stream().map(TopicPartition::partition).toList());
        } catch (SQLException e) {
            // without the stored offsets reading would start at the wrong place; stop rather than guess
            throw new KafkaException("cannot read the stored offsets from " + store.describe() + ": " + e.getMessage(), e);
        }
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long next = stored.get(tp.partition());
            if (next == null) {
                fresh.add(tp);
            } else {
                consumer.seek(tp, next);
            }
        }
        if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
        }
    }

    private void applyOrRetry(ConsumerRecords<String, byte[]> records) {
        List<SessionUpdate> batch = new ArrayList<>(records.count());
        Map<Integer, CentralStore.OffsetRange> range = new LinkedHashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> part = records.records(tp);
            range.put(tp.partition(), new CentralStore.OffsetRange(part.getFirst().offset(), part.getLast().offset()));
            for (ConsumerRecord<String, byte[]> r : part) {
                try {
                    batch.add(codec.decode(r.value()));
                } catch (SessionUpdateCodec.BadUpdate e) {
                    // skipped: the stored offset still moves past it with the batch, so it is not read again
                    bad.incrementAndGet();
                    log.accept("skipped " + config.topic() + "/" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
                }
            }
        }
        try {
            switch (store.apply(config.topic(), batch, range)) {
                case CentralStore.Applied.Committed c -> {
                    updates.addAndGet(batch.size());
                    sessions.addAndGet(c.sessions());
                    batches.incrementAndGet();
                }
                case CentralStore.Applied.Behind b -> {
                    reseeks.incrementAndGet();
                    b.nextOffsets().forEach((p, next) -> consumer.seek(new TopicPartition(config.topic(), p), next));
                    rewind(records, b.nextOffsets().keySet());
                }
            }
        } catch (SQLException e) {
            storeFailures.incrementAndGet();
            log.accept("cannot write to " + store.describe() + ": " + e.getMessage() + " (retrying the batch)");
            rewind(records, List.of());
            sleepBriefly();
        }
    }

    /** Reads these records again: every partition of the poll except those already sought elsewhere. */
    private void rewind(ConsumerRecords<String, byte[]> records, Collection<Integer> sought) {
        for (TopicPartition tp : records.partitions()) {
            if (!sought.contains(tp.partition())) {
                consumer.seek(tp, records.records(tp).getFirst().offset());
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("updates_applied", updates.get());
        m.put("session_rows_written", sessions.get());
        m.put("batches_committed", batches.get());
        m.put("bad_messages", bad.get());
        m.put("reseeks", reseeks.get());
        m.put("store_failures", storeFailures.get());
        return m;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(10));
    }
}
