package dev.septum.flows.kafka;

import dev.septum.flows.session.SessionListener;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.tag.SessionTagger;
import dev.septum.flows.tag.SessionTags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a collector's exported session rows to a Kafka topic, keyed by {@link SessionUpdate#key}.
 * As {@code StoreWriter} does for DuckDB, the receive thread only hands rows to a bounded queue; a
 * sender thread tags, encodes and sends them. The producer is idempotent with {@code acks=all}, so a
 * retried send is stored once and one session's updates stay in order. A full queue or a send the
 * broker refused after its retries is counted as dropped, and an update still unanswered when
 * {@link #close(Duration)} runs out of time as unacknowledged, never silent.
 */
public final class KafkaPublisher implements SessionListener, AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String node;
    private final Supplier<? extends SessionTagger> tagger;
    private final SessionUpdateCodec codec = new SessionUpdateCodec();
    private final BlockingQueue<SessionRow> queue;
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile String lastError = "";
    private volatile boolean running = true;
    /** Set when the stop time ran out: the rest of the queue stays unsent, aborted sends are not "dropped". */
    private volatile boolean abandoned;
    private final Thread thread;

    private KafkaPublisher(KafkaProducer<String, byte[]> producer, String topic, String node,
                           Supplier<? extends SessionTagger> tagger, int queueSize) {
        this.producer = producer;
        this.topic = topic;
        this.node = node;
        this.tagger = tagger;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.thread = Thread.ofPlatform().name("septum-kafka-publish").daemon(true).start(this::loop);
    }

    /** Why the brokers or the topic cannot be used, in words for the operator. */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Connects and looks the topic up before the collector starts, so a wrong broker list or a
     * missing topic stops the start with the reason instead of dropping every session later.
     */
    public static KafkaPublisher open(String brokers, String topic, String node, Supplier<? extends SessionTagger> tagger,
                                      int queueSize) throws Unavailable {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "septum-collect-" + node);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        KafkaProducer<String, byte[]> producer;
        try {
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new Unavailable("cannot use --kafka " + brokers + ": " + e.getMessage());
        }
        try {
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            if (partitions.isEmpty()) {
                throw new Unavailable("topic " + topic + " has no partitions on " + brokers);
            }
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new Unavailable("no topic " + topic + " reachable on " + brokers + " within 15 s: " + e.getMessage()
                    + " (are the brokers up, and was the topic created? docs/scale-out.md)");
        }
        return new KafkaPublisher(producer, topic, node, tagger, queueSize);
    }

    @Override
    public void exported(SessionRow row) {
        updates.incrementAndGet();
        if (!queue.offer(row)) {
            dropped.incrementAndGet();
        }
    }

    private void loop() {
        List<SessionRow> batch = new ArrayList<>();
        while ((running || !queue.isEmpty()) && !abandoned) {
            try {
                SessionRow first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch);
            SessionTagger t = tagger.get();
            long now = System.currentTimeMillis();
            for (SessionRow r : batch) {
                if (abandoned) {
                    break;
                }
                SessionTags tags = t.tag(r.protocol(), r.clientAddr(), r.client().port(), r.serverAddr(), r.server().port());
                send(new SessionUpdate(node, r, tags, now));
            }
            batch.clear();
        }
    }

    private void send(SessionUpdate u) {
        try {
            producer.send(new ProducerRecord<>(topic, u.key(), codec.encode(u)), (meta, e) -> {
                if (e == null) {
                    acked.incrementAndGet();
                } else if (!abandoned) {
                    dropped.incrementAndGet();
                    lastError = e.getMessage();
                }
            });
            sent.incrementAndGet();
        } catch (KafkaException e) {
            if (!abandoned) { // a send the stop cut off ("Producer closed while send in progress") stays unacknowledged
                dropped.incrementAndGet();
                lastError = e.getMessage();
            }
        }
    }

    /** {@link #close(Duration)} within 60 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(60));
    }

    /**
     * Stops taking rows, sends what is queued and waits for the brokers' acknowledgements, all within
     * {@code within}; what is still unanswered then is abandoned and counted as {@code kafka_unacked}.
     *
     * @return true when every update handed in was acknowledged
     */
    public boolean close(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        running = false; // no interrupt: a send interrupted mid-way would lose its row; the poll ends within 200 ms
        try {
            thread.join(Math.max(1, remainingMs(deadline)));
            // flush() has no time limit of its own: it runs aside and the wait for it is bounded here
            Thread flush = Thread.ofVirtual().name("septum-kafka-flush").start(producer::flush);
            flush.join(Math.max(1, remainingMs(deadline)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (acked.get() + dropped.get() < updates.get()) {
            abandoned = true;
        }
        producer.close(abandoned ? Duration.ZERO : Duration.ofSeconds(5));
        return acked.get() == updates.get();
    }

    private static long remainingMs(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    /** Counters for the collector's summary. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        long acknowledged = acked.get();
        long refused = dropped.get();
        m.put("kafka_updates", updates.get());
        m.put("kafka_sent", sent.get());
        m.put("kafka_acked", acknowledged);
        m.put("kafka_dropped", refused);
        m.put("kafka_unacked", Math.max(0, updates.get() - acknowledged - refused));
        return m;
    }

    public String lastError() {
        return lastError;
    }
}
