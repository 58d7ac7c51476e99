package dev.septum.flows.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.collect.DatagramSource;
import dev.septum.flows.collect.FlowCollector;
import dev.septum.flows.mirror.GreDecoder;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionTimeouts;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bar for the mirror intake: the same packets, metered by softflowd (exporting to nfcapd,
 * read with nfdump) and GRE-mirrored to {@code collect --mirror}'s intake, give the same sessions:
 * endpoints, ports, packets and bytes each way. The frames are mkpcap.py's (scapy); python's own raw
 * socket mirrors them (replay_gre.py), to a loopback address of this run's own. Needs root.
 */
class MirrorPeerTest {
    @TempDir
    Path dir;

    @Test
    void mirroredPacketsGiveTheSessionsSoftflowdAndNfdumpSeeInTheSamePackets() throws Exception {
        Path pcap = Peers.mkpcap(dir, 1000, 200);
        List<String[]> nf;
        try (Peers.Nfcapd nfcapd = new Peers.Nfcapd(dir.resolve("nf"))) {
            Peers.send(Peers.softflowdDatagrams(dir, pcap, true), nfcapd.port);
            nf = nfcapd.stopAndDump();
        }
        assertThat(nf).hasSize(1200);
        Map<String, List<Long>> expected = SoftflowdPeerTest.nfdumpBiflows(nf);

        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        InetAddress monitor = InetAddress.getByAddress(new byte[] {127, (byte) rnd.nextInt(64, 250),
                (byte) rnd.nextInt(1, 250), (byte) rnd.nextInt(1, 250)});
        SessionTimeouts longTimeouts = new SessionTimeouts(600_000, 600_000, 3_600_000, 600_000);
        List<SessionRow> sessions;
        try (FlowCollector<GreDecoder> c = FlowCollector.startMirror(new FlowCollector.Config(new InetSocketAddress(monitor, 0),
                16 << 20, longTimeouts, 100_000, null, FlowCollector.Config.MAX_DATAGRAM, DatagramSource.Kind.AUTO), row -> { })) {
            long sent = replay(pcap, monitor);
            assertThat(sent).isEqualTo(8400);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (c.decoder().counters().grePackets() < sent && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(c.decoder().counters().metered()).isEqualTo(sent);
            sessions = c.snapshot(false);
        }

        Map<String, List<Long>> actual = new HashMap<>();
        for (SessionRow r : sessions) {
            List<Long> c2s = List.of(r.clientPackets(), r.clientOctets(), r.serverPackets(), r.serverOctets());
            if (expected.containsKey(SoftflowdPeerTest.key(r))) {
                actual.put(SoftflowdPeerTest.key(r), c2s);
            } else {
                actual.put(SoftflowdPeerTest.reverseKey(r), List.of(c2s.get(2), c2s.get(3), c2s.get(0), c2s.get(1)));
            }
        }
        SoftflowdPeerTest.assertSameFlows(actual, expected);
        // and the direction softflowd's biflows do not carry: every TCP client opened with SYN
        assertThat(sessions).filteredOn(r -> r.protocol() == 6).hasSize(1000)
                .allSatisfy(r -> assertThat(r.clientAddr().toString()).startsWith("10.1."));
    }

    private long replay(Path pcap, InetAddress monitor) throws Exception {
        Path script = dir.resolve("replay_gre.py");
        try (InputStream in = MirrorPeerTest.class.getResourceAsStream("/mirror/replay_gre.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Peers.Result r = Peers.run(60, dir, Peers.require("python3", "python3"), script.toString(), pcap.toString(),
                monitor.getHostAddress());
        assertThat(r.code()).as("replay_gre.py (needs root): %s", r.err()).isZero();
        return Long.parseLong(r.out().trim());
    }
}
