package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code septum collect --mirror}: GRE-mirrored packets sent by scapy (the flows module's
 * send_gre.py) to a loopback address of this run's own become stored sessions that {@code septum
 * sessions} shows. Packet and raw sockets need root, as the suite has here and in CI.
 */
class MirrorCollectCliTest {
    @TempDir
    Path tmp;

    @Test
    void collectMirrorStoresTheMirroredSessions() throws Exception {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        byte[] a = {127, (byte) rnd.nextInt(64, 250), (byte) rnd.nextInt(1, 250), (byte) rnd.nextInt(1, 250)};
        String monitor = InetAddress.getByAddress(a).getHostAddress();
        String dataDir = tmp.resolve("mirror").toString();
        CompletableFuture<CliRun> collect = CompletableFuture.supplyAsync(() -> CliRun.of("collect", "--mirror", monitor,
                "--data-dir", dataDir, "--duration", "6", "--flush-interval", "200", "--policy", "../examples/seed-lab"));
        waitForRawGreSocket(a);
        Process send = new ProcessBuilder("/usr/bin/python3", "../septum-flows/src/test/resources/mirror/send_gre.py", monitor)
                .redirectErrorStream(true).start();
        assertThat(send.waitFor(60, TimeUnit.SECONDS)).as("send_gre.py finished").isTrue();
        assertThat(send.exitValue()).as(new String(send.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        CliRun c = collect.get(40, TimeUnit.SECONDS);
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.err()).contains("receiving GRE mirrors to " + monitor).contains("AF_PACKET TPACKET_V3 ring");
        assertThat(c.out()).contains("\"mirrored_packets_metered\" : 11").contains("\"non_ip_frames\" : 1");

        CliRun raw = CliRun.of("sessions", "--data-dir", dataDir, "--raw", "--output", "csv");
        assertThat(raw.code()).as(raw.err()).isZero();
        assertThat(raw.out().lines().filter(l -> l.contains("10.1.0.5") && l.contains("40001") && l.contains("443")))
                .singleElement().satisfies(l -> assertThat(l).contains(",4,360,").contains(",3,1120,"));
        assertThat(raw.out()).contains("2001:db8::5").contains("2001:db8:0:c8::53");
    }

    @Test
    void mirrorAndListenAreOneOrTheOtherAndSoAreTheirReceivePaths() {
        refused("--mirror receives GRE instead of flow records", "--mirror", "127.0.0.1", "--listen", "127.0.0.1:4739");
        refused("'::1' is not an IPv4 address literal", "--mirror", "::1");
        refused("--receive-with channel cannot receive mirrored packets", "--mirror", "127.0.0.1", "--receive-with", "channel");
        refused("--receive-with ring reads mirrored packets only", "--receive-with", "ring");
    }

    private static void refused(String message, String... options) {
        List<String> args = new ArrayList<>(List.of("collect", "--no-store", "--duration", "1"));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(message);
    }

    /**
     * The collector opens its store before its ring: send once /proc/net/raw lists protocol 47 on our
     * address (the raw socket that claims the protocol opens after the ring).
     */
    private static void waitForRawGreSocket(byte[] a) throws Exception {
        String needle = String.format(Locale.ROOT, "%02X%02X%02X%02X:002F", a[3], a[2], a[1], a[0]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(Path.of("/proc/net/raw")).contains(needle)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("collect --mirror opened no raw GRE socket on " + needle + " within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
