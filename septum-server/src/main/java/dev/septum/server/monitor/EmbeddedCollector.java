package dev.septum.server.monitor;

import dev.septum.flows.collect.DatagramSource;
import dev.septum.flows.collect.FlowCollector;
import dev.septum.flows.decode.MessageDecoder;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.LiveSessions;
import dev.septum.flows.store.StoreWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor node inside the server: the same pipeline as {@code septum collect} (socket, decoder
 * of flow records or of GRE mirrors, session table, store writer) writing into the server's data
 * directory, every session tagged with the newest policy version.
 */
public final class EmbeddedCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCollector.class);

    private final FlowCollector<?> udp;
    private final StoreWriter writer;
    private volatile String receiveFailure = "";

    private EmbeddedCollector(FlowCollector<?> udp, StoreWriter writer) {
        this.udp = udp;
        this.writer = writer;
        udp.onFailure(e -> {
            // the receive thread has ended: say so on /api/collector rather than look idle
            receiveFailure = String.valueOf(e);
            LOG.error("the flow collector stopped receiving on {}", udp.localAddress(), e);
        });
    }

    /** Opens (creating or migrating) the store, then binds the socket; either failing starts nothing. */
    public static EmbeddedCollector start(CollectorSettings settings, FlowStore store) throws IOException, SQLException {
        store.initialise();
        FlowCollector<?>[] ref = new FlowCollector<?>[1];
        StoreWriter writer = new StoreWriter(store, (changedOnly, cut) -> ref[0] == null ? LiveSessions.NONE.read(changedOnly, cut)
                : ref[0].storeSnapshot(changedOnly, cut),
                settings.flushMs(), settings.retentionMs(), 1 << 20);
        try {
            FlowCollector.Config config = new FlowCollector.Config(settings.listen(), settings.receiveBufferBytes(),
                    settings.timeouts(), 1_000_000, MessageDecoder.Limits.DEFAULT, FlowCollector.Config.MAX_DATAGRAM,
                    DatagramSource.Kind.AUTO);
            ref[0] = settings.greMirror() ? FlowCollector.startMirror(config, writer) : FlowCollector.start(config, writer);
        } catch (IOException e) {
            writer.close();
            throw e;
        }
        LOG.info("flow collector receiving {} {} (SO_RCVBUF {} bytes), store {}",
                settings.greMirror() ? "GRE mirrors to" : "IPFIX / NetFlow v9 on udp", ref[0].localAddress(),
                ref[0].receiveBufferBytes(), store.file());
        return new EmbeddedCollector(ref[0], writer);
    }

    public InetSocketAddress localAddress() {
        return udp.localAddress();
    }

    /** The collector's counters (those of {@code septum collect}) and the store writer's. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>(udp.counters());
        m.put("store_rows_written", writer.written());
        m.put("store_live_rows_written", writer.liveWritten());
        m.put("store_rows_dropped", writer.dropped());
        m.put("store_flush_failures", writer.failures());
        return m;
    }

    /** Empty while receiving; the failure that ended the receive thread otherwise. */
    public String receiveFailure() {
        return receiveFailure;
    }

    public String lastStoreError() {
        return writer.lastError() == null ? "" : writer.lastError();
    }

    /** Ends every live session (forced end) and writes it before the store closes. */
    @Override
    public void close() {
        try {
            udp.close();
        } catch (IOException e) {
            LOG.warn("closing the flow collector's socket failed", e);
        }
        writer.close();
    }
}
