package dev.septum.flows.collect;

import static dev.septum.flows.collect.CollectorStoreTest.LOOPBACK;
import static dev.septum.flows.collect.CollectorStoreTest.await;
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
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The collector on both socket paths, fed real IPFIX by two of our exporters that share an observation
 * domain id: only the sender address tells their templates and sequence numbers apart, so a wrong
 * sender shows as sequence gaps or a single domain.
 */
class CollectorSocketTest {
    /** Above our exporter's largest message (1400 bytes), below the junk sent to test truncation. */
    static final int MAX_DATAGRAM = 1_500;

    static List<SessionRow> rows(int exporter, int n) {
        List<SessionRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IpAddr client = IpAddr.v4(0x0A000000L | (exporter + 1) << 16 | i);
            rows.add(new SessionRow(1, 6, new Endpoint(client, 40000 + i % 1000), new Endpoint(IpAddr.parse("10.200.0.1"), 443),
                    5, 600, 0x1B, 4, 3600, 0x1B, SessionState.COMPLETE, 1_700_000_000_000L, 1_700_000_001_000L,
                    DirectionEvidence.TCP_FLAGS, 1, EndReason.IDLE_TIMEOUT));
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(names = {"RECVMMSG", "CHANNEL"})
    void everyRecordFromTwoExportersArrivesUnderItsOwnSenderAndOversizeDatagramsAreNotDecoded(
            DatagramSource.Kind kind) throws Exception {
        SessionTimeouts slow = new SessionTimeouts(600_000, 600_000, 3_600_000, 600_000);
        FlowCollector<MessageDecoder> collector = FlowCollector.start(new FlowCollector.Config(new InetSocketAddress(LOOPBACK, 0),
                8 << 20, slow, 100_000, MessageDecoder.Limits.DEFAULT, MAX_DATAGRAM, kind), row -> { });
        int n = 3_000;
        try (IpfixExporter a = IpfixExporter.open(collector.localAddress(), 7);
             IpfixExporter b = IpfixExporter.open(collector.localAddress(), 7);
             DatagramChannel junk = DatagramChannel.open()) {
            junk.connect(collector.localAddress());
            List<SessionRow> fromA = rows(0, n);
            List<SessionRow> fromB = rows(1, n);
            for (int i = 0; i < n; i++) {
                a.exported(fromA.get(i));
                b.exported(fromB.get(i));
                if (i % 1000 == 0) {
                    // claims to be IPFIX with a length that fits only the whole datagram: decoded from a
                    // truncated copy it would be malformed
                    ByteBuffer big = ByteBuffer.allocate(MAX_DATAGRAM + 100);
                    big.putShort(0, (short) 10).putShort(2, (short) (MAX_DATAGRAM + 100));
                    junk.write(big);
                }
            }
            a.flush();
            b.flush();
            await(() -> collector.decoder().counters().dataRecords() >= 2L * n, "all records");
            assertThat(a.sendErrors() + b.sendErrors()).isZero();
        }
        Map<String, Long> c = collector.counters();
        assertThat(c.get("data_records")).isEqualTo(2L * n);
        assertThat(c.get("sessions_created")).isEqualTo(2L * n);
        assertThat(c.get("truncated_datagrams")).isEqualTo(3);
        assertThat(c.get("malformed")).isZero();
        assertThat(c.get("sequence_gap_events")).isZero();
        assertThat(c.get("sequence_reorders")).isZero();
        assertThat(collector.decoder().templates().domainCount()).isEqualTo(2);
        assertThat(collector.snapshot(false)).hasSize(2 * n);
        int port = collector.localAddress().getPort();

        collector.close();

        // closed for real: the port is free again
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(new InetSocketAddress(LOOPBACK, port));
        }
        assertThat(collector.counters().get("sessions_ended_forced")).isEqualTo(2L * n);
        assertThat(collector.counters().get("kernel_drops")).isGreaterThanOrEqualTo(0);
    }
}
