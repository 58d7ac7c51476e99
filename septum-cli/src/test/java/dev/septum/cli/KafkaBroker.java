package dev.septum.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), from Maven
 * Central's kafka_2.13 jars on the test class path, in a process of its own on loopback with random
 * ports and a temporary log directory. {@link #close} kills it and deletes the directory; a broker
 * that does not come up fails the test with the end of its log.
 */
final class KafkaBroker implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final Path log;
    private final String bootstrap;
    private final Thread reaper;

    private KafkaBroker(Process process, Path dir, Path log, String bootstrap) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.bootstrap = bootstrap;
        // a test JVM that exits without running close (an error in a static initialiser, Ctrl-C) still kills the broker
        this.reaper = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    static KafkaBroker start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("septum-kafka-");
        int port = freePort();
        int controller = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") , StandardCharsets.UTF_8);
        Path log = dir.resolve("broker.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        Process format = new ProcessBuilder(java, "-cp", cp, "kafka.tools.StorageTool", "format", "-t",
                Uuid.randomUuid().toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            String out = Files.readString(dir.resolve("format.log"));
            delete(dir);
            throw new AssertionError("kafka-storage format failed:\n" + out);
        }
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", cp, "kafka.Kafka", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KafkaBroker broker = new KafkaBroker(p, dir, log, "127.0.0.1:" + port);
        try {
            broker.awaitReady();
        } catch (AssertionError | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    String bootstrap() {
        return bootstrap;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    /** Until the broker answers a cluster description; fails after 90 s or when the process ends. */
    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new AssertionError("the Kafka broker exited (" + process.exitValue() + "):\n" + tail());
                }
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the Kafka broker did not answer within 90 s:\n" + tail(), e);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    void createTopic(String topic, int partitions) throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** The end of the broker's output, for a failure message. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
