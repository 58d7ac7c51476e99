package dev.septum.cli;

import static dev.septum.cli.CommandModel.command;
import static dev.septum.cli.CommandModel.flag;
import static dev.septum.cli.CommandModel.option;
import static dev.septum.cli.CommandModel.optional;

import dev.septum.flows.collect.DatagramSource;
import dev.septum.flows.collect.FlowCollector;
import dev.septum.flows.decode.MessageDecoder;
import dev.septum.flows.export.IpfixExporter;
import dev.septum.flows.kafka.KafkaPublisher;
import dev.septum.flows.session.SessionListener;
import dev.septum.flows.session.SessionTimeouts;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.LiveSessions;
import dev.septum.flows.store.StoreWriter;
import dev.septum.flows.tag.SessionTagger;
import dev.septum.builder.tag.PolicySessionTagger;
import dev.septum.model.MonitorObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class CollectCommand implements Callable<Integer> {
    CommandSpec spec;
    InetSocketAddress listen;
    Optional<Inet4Address> mirror = Optional.empty();
    Path dataDir;
    boolean noStore;
    Optional<Path> policy = Optional.empty();
    Optional<String> device = Optional.empty();
    int rcvbuf;
    DatagramSource.Kind receiveWith;
    long idleMs;
    long halfOpenMs;
    long activeMs;
    int maxSessions;
    long flushMs;
    long retentionDays;
    Optional<InetSocketAddress> exportTo = Optional.empty();
    Optional<String> kafka = Optional.empty();
    String topic;
    Optional<String> node = Optional.empty();
    long stopTimeoutSeconds;
    final RunDuration duration = new RunDuration();
    long statsSeconds;

    static CommandSpec spec() {
        CollectCommand c = new CollectCommand();
        c.spec = command("collect", c,
                new String[] {"Run the monitor node's flow collector (IPFIX and NetFlow v9 over UDP, or GRE-mirrored packets).",
                    "",
                    "Receives IPFIX (RFC 7011) and NetFlow v9, keeps the session table, and stores sessions in DuckDB "
                        + "under --data-dir; with --policy DIR each session is stored with its groups, services and the "
                        + "match that decides it (septum sessions --rule ...).",
                    "With --mirror ADDR it receives instead what a switch's monitor session mirrors to ADDR (GRE, "
                        + "transparent Ethernet bridging 0x6558, key or none) on a raw socket (root or CAP_NET_RAW), and "
                        + "meters every packet into the same session table; with --policy, the active timeout comes from "
                        + "the monitor object whose tunnel destination is ADDR unless --active-timeout is given.",
                    "With --kafka BROKERS it publishes every exported session update to the Kafka --topic instead of "
                        + "storing it (docs/scale-out.md): 'septum flows-ingest' writes them into the central store.",
                    "Runs until Ctrl-C / SIGTERM (or --duration), then ends every live session (reason forced end), "
                        + "writes it, and prints the counters as JSON on stdout; with --kafka it waits up to --stop-timeout "
                        + "for the brokers' acknowledgements and counts what they did not acknowledge as kafka_unacked."},
                "", "Examples:",
                "  septum collect --listen 127.0.0.1:4739 --data-dir /var/lib/septum",
                "  septum collect --policy examples/seed-lab --data-dir /var/lib/septum",
                "  softflowd -r x.pcap -v 10 -n 127.0.0.1:4739 -d -c none -A milli -b",
                "  septum collect --mirror 10.255.0.1 --policy examples/seed-lab --data-dir /var/lib/septum",
                "  septum sessions --data-dir /var/lib/septum",
                "  septum collect --kafka kafka1:9092,kafka2:9092 --node monitor-3",
                "", "Raise net.core.rmem_max (e.g. 33554432) so --rcvbuf takes effect under load.",
                "Exit codes: 0 ok, 1 the --policy has errors, 2 usage error, 3 cannot bind (or, with --mirror, open a raw "
                    + "socket) or cannot open the store (with --kafka: reach the brokers' topic, or, on stop, not every session "
                    + "update was acknowledged: kafka_dropped + kafka_unacked).");
        c.spec.addOption(option(InetSocketAddress.class, v -> c.listen = v, "--listen").paramLabel("ENDPOINT").defaultValue("127.0.0.1:4739").converters(new HostPort())
                .description("UDP address:port to receive on; by default IANA's IPFIX port on loopback, ${DEFAULT-VALUE}").build());
        c.spec.addOption(optional(Inet4Address.class, v -> c.mirror = v, "--mirror").paramLabel("ADDR").converters(new Ipv4Literal())
                .description("Receive GRE-mirrored packets sent to this IPv4 address (the monitor node's tunnel "
                        + "destination, e.g. its loopback) instead of flow records on --listen").build());
        c.spec.addOption(option(Path.class, v -> c.dataDir = v, "--data-dir").paramLabel("DIR").defaultValue("septum-data")
                .description("Where flows.duckdb lives (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(flag(v -> c.noStore = v, "--no-store")
                .description("Keep sessions in memory only; write nothing").build());
        c.spec.addOption(optional(Path.class, v -> c.policy = v, "--policy").paramLabel("DIR")
                .description("Store each session tagged by this policy: its endpoints' groups, its services, and the policy, rule "
                        + "and match of the enforcing device that decide it").build());
        c.spec.addOption(optional(String.class, v -> c.device = v, "--device").paramLabel("NAME")
                .description("With --policy: the enforcing device whose matches decide (default: the first device with a traffic-policy)").build());
        c.spec.addOption(option(int.class, v -> c.rcvbuf = v, "--rcvbuf").paramLabel("BYTES").defaultValue("16777216")
                .description("SO_RCVBUF to request (default: ${DEFAULT-VALUE}; capped by net.core.rmem_max); with --mirror, "
                        + "the packet ring's size (at least 4 MiB)").build());
        c.spec.addOption(option(DatagramSource.Kind.class, v -> c.receiveWith = v, "--receive-with").paramLabel("PATH").defaultValue("auto")
                .description("Socket path: auto (recvmmsg where it works, else the JDK channel; with --mirror, ring), "
                        + "recvmmsg (fail if unavailable; with --mirror, a raw IP socket), channel (not with --mirror) "
                        + "or ring (--mirror only: an AF_PACKET TPACKET_V3 ring) (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(long.class, v -> c.idleMs = v, "--idle-timeout").paramLabel("MS").defaultValue("15000")
                .description("End a complete session after this long without records (default: ${DEFAULT-VALUE}, as EOS)").build());
        c.spec.addOption(option(long.class, v -> c.halfOpenMs = v, "--half-open-timeout").paramLabel("MS").defaultValue("15000")
                .description("End a one-direction session after this long (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(long.class, v -> c.activeMs = v, "--active-timeout").paramLabel("MS").defaultValue("1800000")
                .description("Export interim counters of long sessions this often (default: ${DEFAULT-VALUE}, as EOS)").build());
        c.spec.addOption(option(int.class, v -> c.maxSessions = v, "--max-sessions").paramLabel("N").defaultValue("1000000")
                .description("Session table size; when full the least recently updated session ends (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(option(long.class, v -> c.flushMs = v, "--flush-interval").paramLabel("MS").defaultValue("2000")
                .description("Least time between writes of sessions to the store (default: ${DEFAULT-VALUE}); the writer waits "
                        + "at least " + StoreWriter.PACE + " times a flush's CPU time (so the store takes at most 1/" + (StoreWriter.PACE + 1)
                        + " of a core), up to " + StoreWriter.MAX_INTERVALS + " intervals").build());
        c.spec.addOption(option(long.class, v -> c.retentionDays = v, "--retention-days").paramLabel("DAYS").defaultValue("7")
                .description("Delete stored sessions written longer ago (default: ${DEFAULT-VALUE}; 0 keeps all)").build());
        c.spec.addOption(optional(InetSocketAddress.class, v -> c.exportTo = v, "--export-to").paramLabel("ENDPOINT").converters(new HostPort())
                .description("Also export ended sessions as IPFIX biflows to this collector (address:port)").build());
        c.spec.addOption(optional(String.class, v -> c.kafka = v, "--kafka").paramLabel("BROKERS")
                .description("Publish session updates to these Kafka brokers (host:port,...) instead of the local store").build());
        c.spec.addOption(option(String.class, v -> c.topic = v, "--topic").paramLabel("TOPIC").defaultValue("septum-sessions")
                .description("With --kafka: the topic (default: ${DEFAULT-VALUE})").build());
        c.spec.addOption(optional(String.class, v -> c.node = v, "--node").paramLabel("NAME")
                .description("With --kafka: this monitor node's name in every update (default: the host name)").build());
        c.spec.addOption(option(long.class, v -> c.stopTimeoutSeconds = v, "--stop-timeout").paramLabel("SECONDS").defaultValue("60")
                .description("With --kafka: on stop, how long to wait for the brokers to acknowledge the last updates "
                        + "(default: ${DEFAULT-VALUE})").build());
        c.duration.addTo(c.spec);
        c.spec.addOption(option(long.class, v -> c.statsSeconds = v, "--stats").paramLabel("SECONDS").defaultValue("0")
                .description("Print a counters line to stderr this often (default: never)").build());
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (mirror.isPresent() && spec.commandLine().getParseResult().hasMatchedOption("--listen")) {
            err.println("septum collect: --mirror receives GRE instead of flow records; it cannot go with --listen "
                    + "(run a second collector with its own --data-dir for both)");
            err.flush();
            return ExitCodes.USAGE;
        }
        if (receiveWith == (mirror.isPresent() ? DatagramSource.Kind.CHANNEL : DatagramSource.Kind.RING)) {
            err.println("septum collect: --receive-with " + receiveWith.name().toLowerCase(java.util.Locale.ROOT)
                    + (mirror.isPresent() ? " cannot receive mirrored packets: use ring (the default) or recvmmsg"
                    : " reads mirrored packets only (--mirror): use auto, recvmmsg or channel"));
            err.flush();
            return ExitCodes.USAGE;
        }
        try {
            new SessionTimeouts(idleMs, halfOpenMs, activeMs, 5_000);
        } catch (IllegalArgumentException e) {
            err.println("septum collect: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        if (stopTimeoutSeconds < 1) {
            err.println("septum collect: --stop-timeout must be at least 1 second");
            err.flush();
            return ExitCodes.USAGE;
        }
        if (maxSessions < 1) {
            err.println("septum collect: --max-sessions must be at least 1");
            err.flush();
            return ExitCodes.USAGE;
        }
        if (kafka.isPresent() && noStore) {
            err.println("septum collect: --kafka publishes the sessions for the central store; it cannot go with --no-store");
            err.flush();
            return ExitCodes.USAGE;
        }
        if (kafka.isEmpty() && (spec.commandLine().getParseResult().hasMatchedOption("--topic")
                || node.isPresent() || spec.commandLine().getParseResult().hasMatchedOption("--stop-timeout"))) {
            err.println("septum collect: --topic, --node and --stop-timeout say where and how --kafka publishes; "
                    + "give --kafka BROKERS");
            err.flush();
            return ExitCodes.USAGE;
        }
        Optional<String> badNode = KafkaCli.badName("--node", node);
        if (badNode.isPresent()) {
            err.println("septum collect: " + badNode.get());
            err.flush();
            return ExitCodes.USAGE;
        }
        if (device.isPresent() && policy.isEmpty() || policy.isPresent() && noStore) {
            err.println("septum collect: " + (noStore ? "--policy tags stored sessions; it cannot go with --no-store"
                    : "--device needs --policy DIR"));
            err.flush();
            return ExitCodes.USAGE;
        }
        SessionTagger tagger = SessionTagger.NONE;
        long active = activeMs;
        if (policy.isPresent()) {
            Optional<PolicySessionTagger> t = PolicyTagging.load(policy.get(), device, spec.commandLine(), err);
            if (t.isEmpty()) {
                return ExitCodes.POLICY_ERRORS;
            }
            tagger = t.get();
            err.println("septum collect: tagging sessions with " + t.get().version() + " as enforced by " + t.get().device());
            if (mirror.isPresent() && !spec.commandLine().getParseResult().hasMatchedOption("--active-timeout")) {
                Optional<MonitorObject> monitor = t.get().monitors().stream()
                        .filter(m -> m.tunnelDestination() != null
                                && m.tunnelDestination().toInetAddress().equals(mirror.get()))
                        .findFirst();
                if (monitor.isPresent()) {
                    active = monitor.get().activeTimeoutMs();
                    err.println("septum collect: active timeout " + active + " ms from monitor object "
                            + monitor.get().name());
                }
            }
        }
        SessionTimeouts timeouts = new SessionTimeouts(idleMs, halfOpenMs, active, 5_000);
        StoreWriter writer = null;
        IpfixExporter exporter = null;
        KafkaPublisher publisher = null;
        FlowCollector<?>[] collector = new FlowCollector<?>[1];
        InetSocketAddress receiveOn = mirror.map(a -> new InetSocketAddress(a, 0)).orElse(listen);
        if (kafka.isPresent()) {
            KafkaCli.quietLogging();
            SessionTagger publishTagger = tagger;
            try {
                publisher = KafkaPublisher.open(kafka.get(), topic, node.orElseGet(CollectCommand::hostName),
                        () -> publishTagger, 1 << 20);
            } catch (KafkaPublisher.Unavailable e) {
                err.println("septum collect: " + e.getMessage());
                err.flush();
                return ExitCodes.IO;
            }
        } else if (!noStore) {
            SessionTagger storeTagger = tagger;
            FlowStore store = new FlowStore(dataDir, () -> storeTagger);
            try {
                store.initialise();
            } catch (SQLException e) {
                err.println("septum collect: cannot open the flow store " + store.file() + ": " + e.getMessage()
                        + " (is another collector using this --data-dir?)");
                err.flush();
                return ExitCodes.IO;
            }
            writer = new StoreWriter(store, (changedOnly, cut) -> collector[0] == null ? LiveSessions.NONE.read(changedOnly, cut)
                    : collector[0].storeSnapshot(changedOnly, cut),
                    flushMs, TimeUnit.DAYS.toMillis(retentionDays), 1 << 20);
        }
        if (exportTo.isPresent()) {
            exporter = IpfixExporter.open(exportTo.get(), 1);
        }
        SessionListener listener = fanOut(publisher != null ? publisher : writer, exporter);
        try {
            FlowCollector.Config config = new FlowCollector.Config(receiveOn, rcvbuf, timeouts, maxSessions,
                    MessageDecoder.Limits.DEFAULT, FlowCollector.Config.MAX_DATAGRAM, receiveWith);
            collector[0] = mirror.isPresent() ? FlowCollector.startMirror(config, listener) : FlowCollector.start(config, listener);
        } catch (IOException e) {
            err.println("septum collect: cannot receive on " + (mirror.isPresent() ? "GRE to " + mirror.get().getHostAddress()
                    : listen) + ": " + e.getMessage() + (mirror.isPresent() ? " (is ADDR one of this host's addresses?)"
                    : " (is the port in use? try --listen 127.0.0.1:<other port>)"));
            err.flush();
            if (writer != null) {
                writer.close();
            }
            if (publisher != null) {
                publisher.close();
            }
            return ExitCodes.IO;
        }
        FlowCollector<?> c = collector[0];
        // the signal waits for the whole stop: ending the sessions, then the brokers' answers
        try (StopSignal stop = kafka.isPresent() ? duration.stopSignal(stopTimeoutSeconds + 20) : duration.stopSignal()) {
            c.onFailure(e -> {
                err.println("septum collect: receive loop failed: " + e);
                err.flush();
                stop.stop();
            });
            err.println("septum collect: receiving " + (mirror.isPresent() ? "GRE mirrors to " + mirror.get().getHostAddress()
                    : "on " + c.localAddress()) + " (SO_RCVBUF " + c.receiveBufferBytes()
                    + " bytes, " + c.receivePath() + ")" + (kafka.isPresent() ? ", publishing to Kafka topic " + topic
                    : noStore ? ", store off" : ", store " + dataDir.resolve(FlowStore.FILE)));
            err.flush();
            while (!stop.await(statsSeconds > 0 ? statsSeconds * 1000 : 1000)) {
                if (statsSeconds > 0) {
                    err.println("septum collect: " + statsLine(c.counters()));
                    err.flush();
                }
            }
            int status = finish(c, writer, publisher, Duration.ofSeconds(stopTimeoutSeconds), exporter, out, err);
            stop.status(status);
            return status;
        }
    }

    /**
     * Ends every session, writes and exports the last rows, prints the counters.
     *
     * @return {@link ExitCodes#IO} when the brokers did not acknowledge every update within {@code stopTimeout}
     */
    private static int finish(FlowCollector<?> c, StoreWriter writer, KafkaPublisher publisher, Duration stopTimeout,
                              IpfixExporter exporter, PrintWriter out, PrintWriter err) throws IOException {
        int status = ExitCodes.OK;
        c.close();
        Map<String, Long> counters = new LinkedHashMap<>(c.counters());
        if (writer != null) {
            writer.close();
            counters.put("store_rows_written", writer.written());
            counters.put("store_live_rows_written", writer.liveWritten());
            counters.put("store_rows_dropped", writer.dropped());
            if (writer.failures() > 0) {
                err.println("septum collect: " + writer.failures() + " store flushes failed, last: " + writer.lastError());
            }
            if (!writer.writesYield()) {
                // a flush at normal priority competes with the receive loop for a shared core
                err.println("septum collect: the store's writes ran at " + writer.threadPriority()
                        + "; kernel_drops may rise while the store flushes");
            }
        }
        if (publisher != null) {
            boolean allAcked = publisher.close(stopTimeout);
            Map<String, Long> published = publisher.counters();
            counters.putAll(published);
            if (!allAcked) {
                status = ExitCodes.IO;
                err.println("septum collect: " + published.get("kafka_dropped") + " session updates refused or dropped"
                        + (publisher.lastError().isEmpty() ? "" : " (last: " + publisher.lastError() + ")") + ", "
                        + published.get("kafka_unacked") + " not acknowledged within --stop-timeout " + stopTimeout.toSeconds()
                        + " s: they are lost");
            }
        }
        if (exporter != null) {
            exporter.close();
            counters.put("export_records", exporter.recordsSent());
        }
        out.println(DiagnosticPrinter.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(counters));
        out.flush();
        err.flush();
        return status;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static SessionListener fanOut(SessionListener writer, IpfixExporter exporter) {
        if (writer != null && exporter != null) {
            return row -> {
                writer.exported(row);
                exporter.exported(row);
            };
        }
        if (writer != null) {
            return writer;
        }
        if (exporter != null) {
            return exporter;
        }
        return row -> { };
    }

    private static String statsLine(Map<String, Long> m) {
        if (m.containsKey("gre_packets")) {
            return "gre_packets=" + m.get("gre_packets") + " metered=" + m.get("mirrored_packets_metered")
                    + " sessions_live=" + m.get("sessions_live") + " non_ip=" + m.get("non_ip_frames") + " truncated="
                    + m.get("truncated_frames") + " kernel_drops=" + m.get("kernel_drops");
        }
        return "datagrams=" + m.get("datagrams") + " records=" + m.get("data_records") + " sessions_live="
                + m.get("sessions_live") + " sequence_gap_records=" + m.get("sequence_gap_records")
                + " unknown_template_drops=" + m.get("unknown_template_drops") + " malformed=" + m.get("malformed")
                + " kernel_drops=" + m.get("kernel_drops");
    }
}
