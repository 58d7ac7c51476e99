package dev.septum.resolve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real dnsmasq on a loopback address and a high port, answering the {@code test.} zone from a
 * hosts file the test rewrites; {@link #reload()} sends SIGHUP as an operator would. A missing
 * dnsmasq fails the test (CI installs it). Shared with septum-server's lab tests (test-jar).
 */
public final class Dnsmasq implements AutoCloseable {
    final String address;
    final int port;
    final Path hosts;
    private final Process process;

    private Dnsmasq(String address, int port, Path hosts, Process process) {
        this.address = address;
        this.port = port;
        this.hosts = hosts;
        this.process = process;
    }

    /** @param ttl the TTL dnsmasq gives records of its hosts file */
    public static Dnsmasq start(Path dir, String hostsText, int ttl) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/sbin/dnsmasq");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("dnsmasq is not installed (apt-get install dnsmasq); this test needs a real resolver");
        }
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, hostsText);
        // another test run may hold a port: try a few random ones
        for (int attempt = 0; attempt < 5; attempt++) {
            String address = "127.0.0." + ThreadLocalRandom.current().nextInt(2, 250);
            int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            Files.deleteIfExists(dir.resolve("dnsmasq.log"));
            Process p = new ProcessBuilder(binary.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
                    "--no-resolv", "--no-hosts", "--addn-hosts=" + hosts, "--listen-address=" + address,
                    "--bind-interfaces", "--port=" + port, "--local=/test/", "--local-ttl=" + ttl, "--user=root",
                    "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-facility=" + dir.resolve("dnsmasq.log"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();
            if (started(p, dir.resolve("dnsmasq.log"))) {
                return new Dnsmasq(address, port, hosts, p);
            }
        }
        throw new AssertionError("dnsmasq did not start: " + Files.readString(dir.resolve("dnsmasq.out")));
    }

    /** dnsmasq logs "started" once its sockets are bound, and exits when it cannot bind. */
    private static boolean started(Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("started, version")) {
                return true;
            }
            if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        p.destroyForcibly().waitFor();
        throw new AssertionError("dnsmasq neither started nor failed within 10s: " + Files.readString(log));
    }

    public String server() {
        return address + ":" + port;
    }

    public void rewrite(String hostsText) throws IOException, InterruptedException {
        Files.writeString(hosts, hostsText);
        reload();
    }

    /** SIGHUP: dnsmasq rereads its hosts files. */
    void reload() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("cannot send SIGHUP to dnsmasq");
        }
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    List<String> log() throws IOException {
        return Files.readAllLines(hosts.resolveSibling("dnsmasq.log"));
    }
}
