package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.option;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.flows.kafka.CentralStore;
import dev.septum.flows.kafka.FlowIngest;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Model.CommandSpec;

final class FlowsIngestCommand implements Callable<Integer> {
    CommandSpec spec;
    String brokers;
    String topic;
    String group;
    Optional<String> member = Optional.empty();
    String store;
    int batch;
    long retentionDays;
    final RunDuration duration = new RunDuration();
    long statsSeconds;

    static CommandSpec spec() {
        FlowsIngestCommand c = new FlowsIngestCommand();
        c.spec = command("flows-ingest", c,
                new String[] {"Write the session updates that 'septum collect --kafka' publishes into the central store.",
                    "",
                    "A member of Kafka consumer group --group: run one per host for more throughput or to survive one's loss "
                        + "(at most one per topic partition does work). Each batch is written to PostgreSQL with the offsets it "
                        + "was read from, in one transaction, so a member killed at any moment resumes after the last batch it "
                        + "committed: nothing is lost or counted twice. 'septum sessions --store URL' reads the store "
                        + "(docs/scale-out.md).",
                    "Runs until Ctrl-C / SIGTERM (or --duration), then prints its counters as JSON on stdout."},
                "", "Examples:",
                "  septum flows-ingest --kafka kafka1:9092 --member ingest-a \\",
                "      --store 'jdbc:postgresql://db/flows?user=septum&password=...'",
                "  septum sessions --store 'jdbc:postgresql://db/flows?user=septum&password=...'",
                "", "Exit codes: 0 ok, 2 usage error, 3 the store or the brokers cannot be used.");
        c.spec.addOption(option(String.class, v -> c.brokers = v, "--kafka").paramLabel("BROKERS").required(true)
                .description("Kafka brokers, host:port,...").build());
        c.spec.addOption(option(String.class, v -> c.topic = v, "--topic").paramLabel("TOPIC").defaultValue("septum-sessions")
                .description("The topic the collectors publish to (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(String.class, v -> c.group = v, "--group").paramLabel("GROUP").defaultValue("septum-ingest")
                .description("Consumer group; every member of one group shares the topic's partitions (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(optional(String.class, v -> c.member = v, "--member").paramLabel("NAME")
                .description("A stable name for this member of the group (one per ingest process): restarted, it takes its "
                        + "partitions back at once; without it a restart waits for the old member's 10 s session timeout").build());
        c.spec.addOption(option(String.class, v -> c.store = v, "--store").paramLabel("URL").required(true)
                .description("The central store: a PostgreSQL JDBC URL, user and password as its parameters (see the example)").build());
        c.spec.addOption(option(int.class, v -> c.batch = v, "--batch").paramLabel("N").defaultValue("5000")
                .description("At most N updates a transaction (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(long.class, v -> c.retentionDays = v, "--retention-days").paramLabel("DAYS").defaultValue("0")
                .description("Drop the day partitions of sessions first seen more than DAYS ago, hourly; by flow time, so "
                        + "replayed old captures go at once (default: ${DEFAULT-VALUE}, keep all)").build());
        c.duration.addTo(c.spec);
        c.spec.addOption(option(long.class, v -> c.statsSeconds = v, "--stats").paramLabel("SECONDS").defaultValue("0")
                .description("Print a counters line to stderr this often (default: never)").build());
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        KafkaCli.quietLogging();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> badMember = KafkaCli.badName("--member", member);
        if (badMember.isPresent()) {
            err.println("septum flows-ingest: " + badMember.get());
            err.flush();
            return ExitCodes.USAGE;
        }
        if (batch < 1 || batch > 100_000) {
            err.println("septum flows-ingest: --batch " + batch + " must be 1 to 100000");
            err.flush();
            return ExitCodes.USAGE;
        }
        CentralStore central;
        try {
            central = new CentralStore(store);
            central.initialise();
        } catch (IllegalArgumentException e) {
            err.println("septum flows-ingest: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        } catch (SQLException e) {
            err.println("septum flows-ingest: cannot open the central store " + new CentralStore(store).describe() + ": " + e.getMessage());
            err.flush();
            return ExitCodes.IO;
        }
        FlowIngest ingest;
        try {
            ingest = new FlowIngest(new FlowIngest.Config(brokers, topic, group, member, batch), central, line -> {
                err.println("septum flows-ingest: " + line);
                err.flush();
            });
        } catch (KafkaException e) {
            err.println("septum flows-ingest: cannot use --kafka " + brokers + ": " + e.getMessage());
            err.flush();
            return ExitCodes.IO;
        }
        err.println("septum flows-ingest: consuming " + topic + " as group " + group + " into " + central.describe());
        err.flush();
        int code = ExitCodes.OK;
        try (StopSignal stop = duration.stopSignal()) {
            Thread.Builder.OfPlatform watcher = Thread.ofPlatform().daemon(true).name("septum-ingest-stop");
            Thread w = watcher.start(() -> watch(stop, ingest, central, err));
            try {
                ingest.run(() -> !Thread.currentThread().isInterrupted() && w.isAlive());
            } catch (KafkaException e) {
                err.println("septum flows-ingest: " + e.getMessage());
                code = ExitCodes.IO;
            }
            w.interrupt();
            ingest.close();
            Map<String, Long> counters = new LinkedHashMap<>(ingest.counters());
            out.println(DiagnosticPrinter.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(counters));
            out.flush();
            err.flush();
        }
        return code;
    }

    /** Until the stop signal: counters lines and hourly retention; then wakes the consumer's poll. */
    private void watch(StopSignal stop, FlowIngest ingest, CentralStore central, PrintWriter err) {
        long nextRetention = 0;
        try {
            while (!stop.await(statsSeconds > 0 ? statsSeconds * 1000 : 1000)) {
                if (statsSeconds > 0) {
                    err.println("septum flows-ingest: " + ingest.counters().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + " " + b).orElse(""));
                    err.flush();
                }
                if (retentionDays > 0 && System.nanoTime() >= nextRetention) {
                    nextRetention = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
                    try {
                        int dropped = central.dropPartitionsBefore(System.currentTimeMillis() - TimeUnit.DAYS.toMillis(retentionDays));
                        if (dropped > 0) {
                            err.println("septum flows-ingest: retention dropped " + dropped + " day partitions");
                        }
                    } catch (SQLException e) {
                        err.println("septum flows-ingest: retention failed: " + e.getMessage());
                    }
                    err.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ingest.wakeup();
    }
}
