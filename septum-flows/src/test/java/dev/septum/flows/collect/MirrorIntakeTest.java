package dev.septum.flows.collect;

import static dev.septum.flows.collect.CollectorStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.mirror.GreDecoder;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionTimeouts;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.LiveSessions;
import dev.septum.flows.store.SessionQuery;
import dev.septum.flows.store.StoreWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mirror intake on a real packet ring (the default) and a real raw socket: scapy (not Septum) sends GRE-mirrored packets as a switch's
 * monitor session would, to a loopback address of this run's own, and the sessions land in the store.
 * Needs root (packet and raw sockets), as the suite runs here and in CI; without it the test fails, it does not skip.
 */
class MirrorIntakeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = DatagramSource.Kind.class, names = {"AUTO", "RECVMMSG"})
    void greMirroredPacketsFromScapyBecomeStoredSessions(DatagramSource.Kind kind) throws Exception {
        // a loopback address of our own: the raw socket sees only GRE sent to it, not other tests' packets
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        InetAddress monitor = InetAddress.getByAddress(new byte[] {127, (byte) rnd.nextInt(64, 250),
                (byte) rnd.nextInt(1, 250), (byte) rnd.nextInt(1, 250)});
        FlowStore store = new FlowStore(dir);
        store.initialise();
        FlowCollector<?>[] ref = new FlowCollector<?>[1];
        StoreWriter writer = new StoreWriter(store, (changedOnly, cut) -> ref[0] == null ? LiveSessions.NONE.read(changedOnly, cut)
                : ref[0].storeSnapshot(changedOnly, cut), 100, 0, 10_000);
        SessionTimeouts slow = new SessionTimeouts(600_000, 600_000, 3_600_000, 600_000);
        FlowCollector<GreDecoder> collector = FlowCollector.startMirror(new FlowCollector.Config(
                new InetSocketAddress(monitor, 0), 1 << 20, slow, 1000, null, FlowCollector.Config.MAX_DATAGRAM,
                kind), writer);
        ref[0] = collector;
        String[] sent;
        try {
            sent = sendWithScapy(monitor).trim().split(" ");
            long good = Long.parseLong(sent[0]);
            long total = good + Long.parseLong(sent[1]);
            try {
                await(() -> collector.decoder().counters().grePackets() >= total, total + " GRE packets");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the collector counted " + collector.counters());
            }
            assertThat(collector.decoder().counters().metered()).isEqualTo(good);
        } finally {
            collector.close();
            writer.close();
        }
        assertThat(collector.counters()).containsEntry("non_ip_frames", 1L).containsEntry("gre_other_protocol", 1L)
                .containsEntry("malformed_outer", 1L).containsEntry("kernel_drops", 0L);
        assertThat(collector.receivePath()).contains(kind == DatagramSource.Kind.AUTO ? "TPACKET_V3 ring"
                : "raw IPv4 socket for protocol 47");

        List<SessionRow> stored = store.query(SessionQuery.ALL);
        assertThat(stored).hasSize(3).allSatisfy(r -> assertThat(r.reason()).isEqualTo(EndReason.FORCED_END));
        SessionRow https = only(stored, 6);
        assertThat(https.client().addr()).isEqualTo(IpAddr.parse("10.1.0.5"));
        assertThat(https.client().port()).isEqualTo(40001);
        assertThat(https.server().addr()).isEqualTo(IpAddr.parse("10.2.0.53"));
        assertThat(https.server().port()).isEqualTo(443);
        assertThat(List.of(https.clientPackets(), https.clientOctets(), https.serverPackets(), https.serverOctets()))
                .containsExactly(4L, 360L, 3L, 1120L);
        SessionRow dns = only(stored, 17);
        assertThat(dns.client().addr()).isEqualTo(IpAddr.parse("2001:db8::5"));
        assertThat(dns.server().port()).isEqualTo(53);
        assertThat(List.of(dns.clientPackets(), dns.clientOctets(), dns.serverPackets(), dns.serverOctets()))
                .containsExactly(1L, 86L, 1L, 146L);
        SessionRow ping = only(stored, 1);
        assertThat(ping.client().addr()).isEqualTo(IpAddr.parse("10.1.0.5"));
        assertThat(List.of(ping.clientPackets(), ping.serverPackets())).containsExactly(1L, 1L);
    }

    private static SessionRow only(List<SessionRow> rows, int protocol) {
        return rows.stream().filter(r -> r.protocol() == protocol).findFirst().orElseThrow();
    }

    /** Runs send_gre.py with Debian's python3 (the one python3-scapy installs into); returns its counts line. */
    private String sendWithScapy(InetAddress monitor) throws IOException, InterruptedException {
        Path script = dir.resolve("send_gre.py");
        try (InputStream in = MirrorIntakeTest.class.getResourceAsStream("/mirror/send_gre.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(Path.of("/usr/bin/python3")).as("python3 (apt-get install python3 python3-scapy)").isExecutable();
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), monitor.getHostAddress())
                .redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("send_gre.py did not finish within 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("send_gre.py (needs python3-scapy and root): " + out).isZero();
        return out;
    }
}
