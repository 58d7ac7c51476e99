package dev.septum.cli;

import dev.septum.builder.tag.PolicySessionTagger;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.flows.collect.DatagramSource;
import dev.septum.flows.collect.FlowCollector;
import dev.septum.flows.collect.MirrorAgent;
import dev.septum.flows.decode.MessageDecoder;
import dev.septum.flows.mirror.GreDecoder;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionTimeouts;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.LiveSessions;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.StoreWriter;
import dev.septum.lab.LabException;
import dev.septum.lab.LabMonitor;
import dev.septum.lab.NetnsThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The lab's monitor node as {@code septum mirror-agent} and {@code septum collect --mirror} run it,
 * in one JVM: the agent's NFLOG and raw sockets are opened inside the router's namespace, the
 * collector's GRE socket inside the monitor host's, each scenario's sessions stored (tagged with the
 * policy device's rules) in its own store under {@code dataDir/<scenario>}.
 */
final class LabMirrorMonitor implements LabMonitor {
    /** EOS mirrors with GRE key 0; the lab's agent does the same. */
    private static final long GRE_KEY = 0;
    private static final long AGENT_RATE = 100_000;
    private static final long FLUSH_MS = 200;
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(10);

    private final PolicyBuild build;
    private final String version;
    private final Path dataDir;

    LabMirrorMonitor(PolicyBuild build, Path policyDir, Path dataDir) {
        this.build = build;
        this.version = PolicyTagging.version(policyDir);
        this.dataDir = dataDir;
    }

    @Override
    public Running start(Placement p) {
        PolicySessionTagger tagger = PolicySessionTagger.of(build, Optional.of(p.policyDevice()), version)
                .orElseThrow(() -> new LabException("the monitor node cannot tag sessions: no device " + p.policyDevice()));
        Path dir = dataDir.resolve(p.scenario());
        FlowStore store = new FlowStore(dir, () -> tagger);
        try {
            Files.createDirectories(dir);
            store.initialise();
        } catch (IOException | SQLException e) {
            throw new LabException("the monitor node cannot open its store " + store.file() + ": " + e.getMessage());
        }
        Node node = new Node(store);
        try {
            node.writer = new StoreWriter(store, (changedOnly, cut) -> node.collector == null
                    ? LiveSessions.NONE.read(changedOnly, cut) : node.collector.storeSnapshot(changedOnly, cut),
                    FLUSH_MS, TimeUnit.DAYS.toMillis(7), 1 << 16);
            FlowCollector.Config config = new FlowCollector.Config(new InetSocketAddress(p.tunnelDestination(), 0), 4 << 20,
                    new SessionTimeouts(15_000, 15_000, p.activeTimeoutMs(), 5_000), 100_000, MessageDecoder.Limits.DEFAULT,
                    FlowCollector.Config.MAX_DATAGRAM, DatagramSource.Kind.AUTO);
            node.collector = NetnsThreads.callIn(p.monitorNamespace(), () -> FlowCollector.startMirror(config, row -> {
                node.ended.add(row);
                node.writer.exported(row);
            }));
            node.agent = NetnsThreads.callIn(p.routerNamespace(), () -> MirrorAgent.start(
                    new MirrorAgent.Config(p.nflogGroup(), p.tunnelDestination(), GRE_KEY, AGENT_RATE, MirrorAgent.Config.EACH_PACKET)));
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw new LabException("the monitor node did not start (agent on NFLOG group " + p.nflogGroup() + " in "
                    + p.routerNamespace() + ", collector on " + p.tunnelDestination().getHostAddress() + " in "
                    + p.monitorNamespace() + "): " + e.getMessage());
        }
    }

    /** One scenario's agent, collector and store. */
    private static final class Node implements Running {
        private final FlowStore store;
        private final List<SessionRow> ended = Collections.synchronizedList(new ArrayList<>());
        private volatile FlowCollector<GreDecoder> collector;
        private StoreWriter writer;
        private MirrorAgent agent;
        private boolean closed;

        Node(FlowStore store) {
            this.store = store;
        }

        @Override
        public List<Seen> metered() {
            List<Seen> seen = new ArrayList<>(collector.snapshot(false).stream().map(r -> seen(r, "")).toList());
            synchronized (ended) {
                ended.forEach(r -> seen.add(seen(r, "")));
            }
            return seen;
        }

        @Override
        public List<Seen> finish() {
            agent.close();
            long sent = agent.counters().get("gre_sent");
            long deadline = System.nanoTime() + DRAIN_NS;
            while (collector.counters().get("mirrored_packets_metered") < sent && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LabException("interrupted while the monitor node drained");
                }
            }
            long metered = collector.counters().get("mirrored_packets_metered");
            close();
            if (metered != sent) {
                throw new LabException("the monitor node metered " + metered + " of the " + sent
                        + " packets the mirror agent sent; its sessions cannot be trusted");
            }
            try {
                return store.queryTagged(SessionQuery.ALL).stream().map(s -> seen(s.row(), s.tags().rule())).toList();
            } catch (SQLException e) {
                throw new LabException("cannot read the monitor node's store " + store.file() + ": " + e.getMessage());
            }
        }

        private static Seen seen(SessionRow r, String rule) {
            return new Seen(r.protocol(), r.clientAddr().toString(), r.serverAddr().toString(), r.server().port(),
                    r.clientPackets() + r.serverPackets(), rule);
        }

        /** Agent first (nothing more is sent), then the collector (ends every session), then the store's last write. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (agent != null) {
                agent.close();
            }
            if (collector != null) {
                try {
                    collector.close();
                } catch (IOException e) {
                    // the table was flushed before the socket's close failed; the store still gets every row
                }
            }
            if (writer != null) {
                writer.close();
            }
        }
    }
}
