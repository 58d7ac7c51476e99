package dev.septum.flows.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.decode.MessageDecoder;
import dev.septum.flows.export.IpfixExporter;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.session.SessionTimeouts;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.LiveSessions;
import dev.septum.flows.store.StoreWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on loopback: our exporter → socket → decoder → session table → DuckDB, with
 * garbage datagrams in between that must not stop the receive loop.
 */
class CollectorStoreTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    static List<SessionRow> sessions(int n) {
        List<SessionRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IpAddr client = i % 5 == 4 ? IpAddr.parse("2001:db8::" + Integer.toHexString(i + 1)) : IpAddr.v4(0x0A010000L + i);
            IpAddr server = client.v6() ? IpAddr.parse("2001:db8:0:c8::1") : IpAddr.parse("10.2.0.1");
            rows.add(new SessionRow(i % 4 + 1, 6, new Endpoint(client, 40000 + i), new Endpoint(server, 443),
                    5, 600 + i, 0x1B, 4, 3600, 0x1B, SessionState.COMPLETE, 1_700_000_000_000L + i,
                    1_700_000_001_000L + i, DirectionEvidence.TCP_FLAGS, 1, EndReason.IDLE_TIMEOUT));
        }
        return rows;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void exportedSessionsSurviveTheRoundTripIntoTheStoreDespiteGarbageOnTheSocket() throws Exception {
        FlowStore store = new FlowStore(dir);
        store.initialise();
        FlowCollector<?>[] ref = new FlowCollector<?>[1];
        StoreWriter writer = new StoreWriter(store, (changedOnly, cut) -> ref[0] == null ? LiveSessions.NONE.read(changedOnly, cut)
                    : ref[0].storeSnapshot(changedOnly, cut), 100, 0, 10_000);
        // Long timeouts: these sessions carry FIN both ways and would otherwise end 5 s after arrival,
        // which on a loaded machine can come before the assertions (seen once as END_OF_FLOW).
        SessionTimeouts slow = new SessionTimeouts(600_000, 600_000, 3_600_000, 600_000);
        FlowCollector<MessageDecoder> collector = FlowCollector.start(new FlowCollector.Config(new InetSocketAddress(LOOPBACK, 0), 1 << 20,
                slow, 10_000, MessageDecoder.Limits.DEFAULT,
                FlowCollector.Config.MAX_DATAGRAM, DatagramSource.Kind.AUTO), writer);
        ref[0] = collector;
        List<SessionRow> rows = sessions(50);
        try (DatagramChannel garbage = DatagramChannel.open()) {
            garbage.connect(collector.localAddress());
            Random rnd = new Random(1);
            try (IpfixExporter exporter = IpfixExporter.open(collector.localAddress(), 9)) {
                for (SessionRow r : rows) {
                    exporter.exported(r);
                    byte[] junk = new byte[rnd.nextInt(100)];
                    rnd.nextBytes(junk);
                    if (junk.length > 2) {
                        junk[1] = 10; // claims to be IPFIX
                        junk[0] = 0;
                    }
                    garbage.write(ByteBuffer.wrap(junk));
                }
            }
            await(() -> collector.decoder().counters().dataRecords() >= 50, "50 records");
        }
        // live: the store's live snapshot shows them before they end
        await(() -> {
            try {
                return store.query(SessionQuery.ALL).size() == 50;
            } catch (java.sql.SQLException e) {
                return false;
            }
        }, "the live snapshot in the store");
        assertThat(store.query(SessionQuery.ALL)).allSatisfy(r -> assertThat(r.reason()).isEqualTo(EndReason.LIVE));

        collector.close();
        writer.close();

        List<SessionRow> stored = store.query(SessionQuery.ALL);
        assertThat(stored).hasSize(50);
        for (SessionRow in : rows) {
            SessionRow out = stored.stream().filter(s -> s.client().equals(in.client())).findFirst().orElseThrow();
            assertThat(out.server()).isEqualTo(in.server());
            assertThat(out.vrf()).isEqualTo(in.vrf());
            assertThat(List.of(out.clientPackets(), out.clientOctets(), out.serverPackets(), out.serverOctets()))
                    .containsExactly(in.clientPackets(), in.clientOctets(), in.serverPackets(), in.serverOctets());
            assertThat(out.firstMillis()).isEqualTo(in.firstMillis());
            assertThat(out.lastMillis()).isEqualTo(in.lastMillis());
            assertThat(out.evidence()).isEqualTo(DirectionEvidence.BIFLOW_INITIATOR);
            assertThat(out.reason()).isEqualTo(EndReason.FORCED_END);
        }
        assertThat(collector.counters().get("malformed")).isPositive();
        assertThat(collector.decoder().backstopHits()).isZero();
        assertThat(writer.dropped()).isZero();

        SessionQuery v6 = new SessionQuery(Optional.empty(), Optional.of(6), Optional.of("2001:db8:0:c8::1"),
                Optional.of(443), Optional.empty(), Optional.empty(), 1000);
        assertThat(store.query(v6)).hasSize(10);
        SessionQuery vrf2 = new SessionQuery(Optional.of(2), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 1000);
        assertThat(store.query(vrf2)).hasSize(13).allSatisfy(r -> assertThat(r.vrf()).isEqualTo(2));
    }
}
