package dev.septum.flows.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real peers the flow tests compare against (softflowd, nfcapd/nfdump, tshark), each bounded
 * in time, on 127.0.0.1 only. A missing tool fails the test with the package to install: these tests
 * are the point of the suite, so they do not skip themselves.
 */
final class Peers {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Peers() {
    }

    static String require(String tool, String debianPackage) {
        for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin", "/sbin"}) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(tool + " is not installed: apt-get install " + debianPackage
                + " (.ci/run installs it)");
    }

    record Result(int code, String out, String err) {
    }

    static Result run(long timeoutSeconds, Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    /** Makes the pcap with mkpcap.py (scapy): N TCP sessions and M UDP request/response pairs. */
    static Path mkpcap(Path dir, int tcp, int udp) throws IOException, InterruptedException {
        String python = require("python3", "python3 python3-scapy");
        Path script = dir.resolve("mkpcap.py");
        try (InputStream in = Peers.class.getResourceAsStream("/peers/mkpcap.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path pcap = dir.resolve("test.pcap");
        Result r = run(120, dir, python, script.toString(), Integer.toString(tcp), Integer.toString(udp), pcap.toString());
        assertThat(r.code()).as("mkpcap.py: %s", r.err()).isZero();
        return pcap;
    }

    /** Runs softflowd on the pcap, exporting IPFIX to a socket of ours, and returns every datagram. */
    static List<byte[]> softflowdDatagrams(Path dir, Path pcap, boolean biflow) throws IOException, InterruptedException {
        String softflowd = require("softflowd", "softflowd");
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.bind(new InetSocketAddress(LOOPBACK, 0));
            int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            List<String> cmd = new ArrayList<>(List.of(softflowd, "-r", pcap.toString(), "-v", "10",
                    "-n", "127.0.0.1:" + port, "-d", "-c", "none", "-A", "milli"));
            if (biflow) {
                cmd.add("-b");
            }
            Result r = run(60, dir, cmd.toArray(String[]::new));
            assertThat(r.code()).as("softflowd: %s", r.err()).isZero();
            ch.configureBlocking(false);
            List<byte[]> out = new ArrayList<>();
            ByteBuffer buf = ByteBuffer.allocate(65_536);
            long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < quietUntil) {
                buf.clear();
                if (ch.receive(buf) != null) {
                    buf.flip();
                    byte[] b = new byte[buf.remaining()];
                    buf.get(b);
                    out.add(b);
                    quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                } else {
                    Thread.sleep(5);
                }
            }
            return out;
        }
    }

    /** Sends datagrams to 127.0.0.1:port, paced so a collector on a shared 2-core box keeps up. */
    static void send(List<byte[]> datagrams, int port) throws IOException, InterruptedException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress(LOOPBACK, port));
            for (byte[] d : datagrams) {
                ch.write(ByteBuffer.wrap(d));
                Thread.sleep(1);
            }
        }
    }

    /** nfcapd on a free loopback port; {@link #stopAndDump} returns nfdump's CSV lines. */
    static final class Nfcapd implements AutoCloseable {
        final int port;
        final Path flows;
        final Process process;
        final Path dir;

        Nfcapd(Path dir) throws IOException, InterruptedException {
            String nfcapd = require("nfcapd", "nfdump");
            this.dir = dir;
            this.flows = Files.createDirectories(dir.resolve("nfcapd-flows"));
            this.port = freeUdpPort();
            this.process = new ProcessBuilder(nfcapd, "-b", "127.0.0.1", "-p", Integer.toString(port),
                    "-w", flows.toString(), "-t", "600", "-P", dir.resolve("nfcapd.pid").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nfcapd.log").toFile()).start();
            waitForUdpListener(port);
        }

        /**
         * Once nfcapd has read every datagram sent to it (its socket's receive queue is empty),
         * SIGTERM makes it flush and rename its file; then nfdump reads the directory.
         */
        List<String[]> stopAndDump() throws IOException, InterruptedException {
            awaitDrained(port);
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("nfcapd did not stop on SIGTERM");
            }
            String nfdump = require("nfdump", "nfdump");
            Result r = run(60, dir, nfdump, "-q", "-R", flows.toString(), "-o", "csv");
            assertThat(r.code()).as("nfdump: %s", r.err()).isZero();
            List<String[]> rows = new ArrayList<>();
            for (String line : r.out().split("\n")) {
                if (line.matches("^\\d{4}-\\d\\d-\\d\\d .*")) {
                    rows.add(line.split(","));
                }
            }
            return rows;
        }

        String info() throws IOException, InterruptedException {
            return run(60, dir, require("nfdump", "nfdump"), "-I", "-R", flows.toString()).out();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    static void waitForUdpListener(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (UdpSocket.on(port).isPresent()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing listened on udp port " + port + " within 10 s");
    }

    /**
     * Waits until the listener on the port has read everything queued for it. Loopback delivers a
     * datagram into the receive queue before send returns, so after {@link #send} an empty queue
     * means the peer has read every datagram, however busy the machine is.
     */
    static void awaitDrained(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        UdpSocket socket = UdpSocket.on(port).orElseThrow(() -> new AssertionError("nothing listens on udp port " + port));
        while (socket.receiveQueueBytes() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            socket = UdpSocket.on(port).orElseThrow(() -> new AssertionError("the listener on udp port " + port + " went away"));
        }
        assertThat(socket.receiveQueueBytes()).as("bytes nobody read on udp port %d within 60 s", port).isZero();
        assertThat(socket.drops()).as("datagrams the kernel dropped on udp port %d", port).isZero();
    }

    /** A socket's line in /proc/net/udp: bytes waiting in its receive queue, datagrams dropped. */
    record UdpSocket(long receiveQueueBytes, long drops) {
        static Optional<UdpSocket> on(int port) throws IOException {
            String local = String.format(":%04X", port);
            for (String line : Files.readAllLines(Path.of("/proc/net/udp"), StandardCharsets.US_ASCII)) {
                String[] f = line.strip().split("\\s+");
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops
                if (f.length >= 13 && f[1].endsWith(local)) {
                    return Optional.of(new UdpSocket(Long.parseLong(f[4].split(":")[1], 16), Long.parseLong(f[12])));
                }
            }
            return Optional.empty();
        }
    }
}
