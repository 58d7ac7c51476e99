package dev.septum.flows.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.export.IpfixExporter;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our IPFIX export, read by other implementations: tshark's dissector and nfcapd/nfdump. */
class IpfixExportPeerTest {
    @TempDir
    Path dir;

    static List<SessionRow> sessions(int n) {
        List<SessionRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean v6 = i % 10 == 9;
            IpAddr client = v6 ? IpAddr.parse("2001:db8::" + Integer.toHexString(i + 1)) : IpAddr.v4(0x0A010000L + i);
            IpAddr server = v6 ? IpAddr.parse("2001:db8:0:c8::1") : IpAddr.parse("10.2.0.1");
            rows.add(new SessionRow(i % 4 + 1, i % 3 == 0 ? 17 : 6, new Endpoint(client, 40000 + i), new Endpoint(server, 443),
                    5, 600 + i, 0x1B, 4, 3600, 0x1B, SessionState.COMPLETE, 1_700_000_000_000L + i, 1_700_000_001_000L + i,
                    DirectionEvidence.TCP_FLAGS, 2, EndReason.IDLE_TIMEOUT));
        }
        return rows;
    }

    static List<byte[]> exportAndCapture(List<SessionRow> rows) throws Exception {
        try (DatagramChannel sink = DatagramChannel.open()) {
            sink.bind(new InetSocketAddress(Peers.LOOPBACK, 0));
            sink.configureBlocking(false);
            try (IpfixExporter exporter = IpfixExporter.open((InetSocketAddress) sink.getLocalAddress(), 7)) {
                rows.forEach(exporter::exported);
            }
            List<byte[]> out = new ArrayList<>();
            ByteBuffer buf = ByteBuffer.allocate(65_536);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < deadline) {
                buf.clear();
                if (sink.receive(buf) != null) {
                    buf.flip();
                    byte[] b = new byte[buf.remaining()];
                    buf.get(b);
                    out.add(b);
                } else {
                    Thread.sleep(5);
                }
            }
            return out;
        }
    }

    @Test
    void tsharkDecodesEveryRecordAndEveryMessageWhole() throws Exception {
        String tshark = Peers.require("tshark", "tshark");
        List<SessionRow> rows = sessions(200);
        List<byte[]> datagrams = exportAndCapture(rows);
        assertThat(datagrams).hasSizeGreaterThan(1);
        Path pcap = dir.resolve("export.pcap");
        PcapFile.write(pcap, datagrams, 4739);

        Peers.Result r = Peers.run(120, dir, tshark, "-n", "-r", pcap.toString(), "-T", "fields",
                "-e", "cflow.srcaddr", "-e", "cflow.srcaddrv6", "-e", "cflow.srcport", "-e", "cflow.dstport",
                "-e", "cflow.octets", "-e", "cflow.ingress_vrfid", "-e", "cflow.sequence", "-e", "_ws.malformed",
                "-e", "_ws.col.Info", "-E", "separator=;", "-E", "aggregator=|");
        assertThat(r.code()).as("tshark: %s", r.err()).isZero();
        List<String> clients = new ArrayList<>();
        List<String> octets = new ArrayList<>();
        long records = 0;
        long expectedSequence = 0;
        for (String line : r.out().split("\n")) {
            String[] f = line.split(";", -1);
            assertThat(f[7]).as("malformed in %s", line).isEmpty();
            // tshark labels a message whose sets do not add up "partial flow" rather than flagging it
            assertThat(f[8]).as("info column of %s", line).contains("IPFIX flow").doesNotContain("partial")
                    .doesNotContain("Malformed");
            assertThat(Long.parseLong(f[6])).as("sequence = records before the message").isEqualTo(expectedSequence);
            int n = f[2].isEmpty() ? 0 : f[2].split("\\|").length;
            expectedSequence += n;
            records += n;
            for (String a : (f[0] + "|" + f[1]).split("\\|")) {
                if (!a.isEmpty()) {
                    clients.add(a);
                }
            }
            for (String o : f[4].split("\\|")) {
                if (!o.isEmpty()) {
                    octets.add(o);
                }
            }
        }
        assertThat(records).isEqualTo(200);
        assertThat(clients).containsExactlyInAnyOrderElementsOf(rows.stream().map(x -> x.clientAddr().toString()).toList());
        // forward octetDeltaCount and the reverse one (PEN 29305) both appear as cflow.octets
        assertThat(octets).contains("600", "799", "3600");
    }

    @Test
    void nfcapdStoresOurExportWithForwardAndReverseCounters() throws Exception {
        List<SessionRow> rows = sessions(200);
        List<byte[]> datagrams = exportAndCapture(rows);
        List<String[]> nf;
        String info;
        try (Peers.Nfcapd nfcapd = new Peers.Nfcapd(dir.resolve("nf"))) {
            Peers.send(datagrams, nfcapd.port);
            nf = nfcapd.stopAndDump();
            info = nfcapd.info();
        }
        assertThat(nf).hasSize(200);
        long inBytes = nf.stream().mapToLong(f -> Long.parseLong(f[12])).sum();
        long outBytes = nf.stream().mapToLong(f -> Long.parseLong(f[14])).sum();
        assertThat(inBytes).isEqualTo(rows.stream().mapToLong(SessionRow::clientOctets).sum());
        assertThat(outBytes).isEqualTo(200L * 3600);
        assertThat(nf).allSatisfy(f -> assertThat(f[6]).isEqualTo("443"));
        assertThat(info).contains("Sequence failures: 0");
    }
}
