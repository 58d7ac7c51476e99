package dev.septum.flows.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.collect.DatagramSource;
import dev.septum.flows.collect.FlowCollector;
import dev.septum.flows.decode.MessageDecoder;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.session.SessionTimeouts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * softflowd reads a pcap made by mkpcap.py (1,000 TCP sessions, 200 UDP request/response pairs) and
 * exports IPFIX; the same datagrams go to nfcapd and to our collector. What nfdump stores and what our
 * session table holds must agree flow for flow: addresses, ports, packets and bytes each way.
 */
class SoftflowdPeerTest {
    @TempDir
    static Path dir;
    static Path pcap;

    @BeforeAll
    static void makePcap() throws Exception {
        pcap = Peers.mkpcap(dir, 1000, 200);
    }

    /** key "client:port>server:port/proto" → {packets c→s, bytes c→s, packets s→c, bytes s→c}. */
    static Map<String, List<Long>> nfdumpBiflows(List<String[]> rows) {
        Map<String, List<Long>> m = new HashMap<>();
        for (String[] f : rows) {
            m.put(f[3] + ":" + f[5] + ">" + f[4] + ":" + f[6] + "/" + f[7].toLowerCase(),
                    List.of(Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])));
        }
        return m;
    }

    static String reverseKey(SessionRow r) {
        return r.serverAddr() + ":" + r.server().port() + ">" + r.clientAddr() + ":" + r.client().port() + "/"
                + (r.protocol() == 6 ? "tcp" : r.protocol() == 17 ? "udp" : Integer.toString(r.protocol()));
    }

    static String key(SessionRow r) {
        return r.clientAddr() + ":" + r.client().port() + ">" + r.serverAddr() + ":" + r.server().port() + "/"
                + (r.protocol() == 6 ? "tcp" : r.protocol() == 17 ? "udp" : Integer.toString(r.protocol()));
    }

    /** Compares without printing 1,200 entries: names the first few differences each way. */
    static void assertSameFlows(Map<String, List<Long>> actual, Map<String, List<Long>> expected) {
        List<String> missing = expected.entrySet().stream().filter(e -> !e.getValue().equals(actual.get(e.getKey())))
                .map(e -> e.getKey() + "=" + e.getValue() + " (ours: " + actual.get(e.getKey()) + ")").sorted().limit(5).toList();
        List<String> extra = actual.keySet().stream().filter(k -> !expected.containsKey(k))
                .map(k -> k + "=" + actual.get(k)).sorted().limit(5).toList();
        assertThat(missing).as("nfdump flows we lack or differ on (first 5)")
                .isEmpty();
        assertThat(extra).as("sessions nfdump lacks (first 5)").isEmpty();
    }

    record Collected(List<SessionRow> sessions, Map<String, Long> counters) {
    }

    static Collected collect(List<byte[]> datagrams, long expectedRecords) throws Exception {
        SessionTimeouts longTimeouts = new SessionTimeouts(600_000, 600_000, 3_600_000, 600_000);
        try (FlowCollector<MessageDecoder> c = FlowCollector.start(new FlowCollector.Config(new InetSocketAddress(Peers.LOOPBACK, 0),
                4 << 20, longTimeouts, 100_000, MessageDecoder.Limits.DEFAULT,
                FlowCollector.Config.MAX_DATAGRAM, DatagramSource.Kind.AUTO), row -> { })) {
            Peers.send(datagrams, c.localAddress().getPort());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (c.decoder().counters().dataRecords() < expectedRecords && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return new Collected(c.snapshot(false), c.counters());
        }
    }

    static long nfdumpSequenceFailures(String info) {
        for (String line : info.split("\n")) {
            if (line.startsWith("Sequence failures:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("nfdump -I printed no 'Sequence failures' line:\n" + info);
    }

    @Test
    void biflowSessionsEqualWhatNfdumpStoresFromTheSameExport() throws Exception {
        List<byte[]> datagrams = Peers.softflowdDatagrams(dir, pcap, true);
        List<String[]> nf;
        String info;
        try (Peers.Nfcapd nfcapd = new Peers.Nfcapd(dir.resolve("bi"))) {
            Peers.send(datagrams, nfcapd.port);
            nf = nfcapd.stopAndDump();
            info = nfcapd.info();
        }
        assertThat(nf).hasSize(1200);

        Collected ours = collect(datagrams, 1200);

        // nfdump keeps softflowd's orientation (lower address first); ours is client to server. Compare
        // in nfdump's orientation, turning each of our sessions around where needed.
        Map<String, List<Long>> expected = nfdumpBiflows(nf);
        Map<String, List<Long>> actual = new HashMap<>();
        for (SessionRow r : ours.sessions()) {
            List<Long> c2s = List.of(r.clientPackets(), r.clientOctets(), r.serverPackets(), r.serverOctets());
            if (expected.containsKey(key(r))) {
                actual.put(key(r), c2s);
            } else {
                actual.put(reverseKey(r), List.of(c2s.get(2), c2s.get(3), c2s.get(0), c2s.get(1)));
            }
        }
        assertSameFlows(actual, expected);
        // mkpcap.py's shapes, as flow-monitoring.md §6.2 expects them
        assertThat(ours.sessions()).filteredOn(r -> r.protocol() == 6).hasSize(1000)
                .allSatisfy(r -> assertThat(List.of(r.clientPackets(), r.clientOctets(), r.serverPackets(), r.serverOctets()))
                        .containsExactly(5L, 300L, 3L, 1120L));
        assertThat(ours.sessions()).filteredOn(r -> r.protocol() == 17).hasSize(200)
                .allSatisfy(r -> {
                    assertThat(r.server()).hasToString("10.2.0.53:53");
                    assertThat(List.of(r.clientPackets(), r.clientOctets(), r.serverPackets(), r.serverOctets()))
                            .containsExactly(1L, 68L, 1L, 148L);
                });
        assertThat(ours.sessions()).filteredOn(r -> r.protocol() == 6)
                .allSatisfy(r -> assertThat(r.clientAddr().toString()).startsWith("10.1."));
        assertThat(ours.sessions()).allSatisfy(r -> assertThat(r.state()).isEqualTo(SessionState.COMPLETE));
        // softflowd counts the current message in its sequence number (flow-monitoring.md §1.1), so
        // both collectors see mismatches; they must see the same number of them.
        assertThat(ours.counters().get("sequence_gap_events") + ours.counters().get("sequence_reorders"))
                .isEqualTo(nfdumpSequenceFailures(info));
        assertThat(ours.counters().get("malformed")).isZero();
        assertThat(ours.counters().get("unknown_template_drops")).isZero();
    }

    @Test
    void uniflowRecordsStitchIntoTheSameSessionsNfdumpHoldsAsTwoFlows() throws Exception {
        List<byte[]> datagrams = Peers.softflowdDatagrams(dir, pcap, false);
        List<String[]> nf;
        try (Peers.Nfcapd nfcapd = new Peers.Nfcapd(dir.resolve("uni"))) {
            Peers.send(datagrams, nfcapd.port);
            nf = nfcapd.stopAndDump();
        }
        assertThat(nf).hasSize(2400);
        Map<String, List<Long>> oneWay = new HashMap<>();
        for (String[] f : nf) {
            oneWay.put(f[3] + ":" + f[5] + ">" + f[4] + ":" + f[6] + "/" + f[7].toLowerCase(),
                    List.of(Long.parseLong(f[11]), Long.parseLong(f[12])));
        }

        Collected ours = collect(datagrams, 2400);

        assertThat(ours.sessions()).hasSize(1200);
        for (SessionRow r : ours.sessions()) {
            String fwd = key(r);
            String rev = r.serverAddr() + ":" + r.server().port() + ">" + r.clientAddr() + ":" + r.client().port()
                    + fwd.substring(fwd.lastIndexOf('/'));
            assertThat(oneWay.get(fwd)).as("client to server of %s", fwd).containsExactly(r.clientPackets(), r.clientOctets());
            assertThat(oneWay.get(rev)).as("server to client of %s", fwd).containsExactly(r.serverPackets(), r.serverOctets());
            assertThat(r.state()).isEqualTo(SessionState.COMPLETE);
        }
    }
}
