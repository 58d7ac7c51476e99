package dev.septum.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.lab.Lab;
import dev.septum.lab.LabSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Real probes from one lab host, captured where they start (dumpcap in the host's namespace) and
 * exported by softflowd as IPFIX to the server's embedded collector. Without dumpcap (tshark) or
 * softflowd the test fails, naming the package.
 */
public final class ExportedProbes {
    private ExportedProbes() {
    }

    /** Sends the probes from {@code host} (one namespace of the served lab); what each did, once softflowd exported them. */
    public static Map<String, String> probe(Lab.Serving served, String host, List<LabSpec.Probe> probes, ServerHarness h, Path dir)
            throws Exception {
        String dumpcap = tool("dumpcap", "tshark");
        String softflowd = tool("softflowd", "softflowd");
        Path pcap = dir.resolve(host + ".pcap");
        Path log = dir.resolve("dumpcap.log");
        Process capture = new ProcessBuilder(Namespaces.inside(served.namespace(host), dumpcap, "-q", "-P", "-i", "eth0",
                "-f", "ip", "-w", pcap.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Map<String, String> seen;
        try {
            awaitCapture(capture, log);
            seen = served.probe(probes);
        } finally {
            capture.destroy();
        }
        assertThat(capture.waitFor(20, TimeUnit.SECONDS)).as("dumpcap stops on SIGTERM").isTrue();
        Process exporter = new ProcessBuilder(softflowd, "-r", pcap.toString(), "-v", "10", "-b", "-n",
                "127.0.0.1:" + h.server.collector().orElseThrow().localAddress().getPort(), "-d", "-c", "none", "-A", "milli")
                .redirectErrorStream(true).redirectOutput(dir.resolve("softflowd.log").toFile()).start();
        assertThat(exporter.waitFor(60, TimeUnit.SECONDS) && exporter.exitValue() == 0).as("softflowd exports the capture").isTrue();
        return seen;
    }

    /** Waits (bounded) until the server stored at least {@code atLeast} sessions. */
    public static void awaitSessions(ServerHarness h, int atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode last = h.admin.get("/api/sessions").json();
        while (last.path("count").asInt() < atLeast) {
            assertThat(System.nanoTime()).as("sessions stored within 20 s, last answer: " + last).isLessThan(deadline);
            Thread.sleep(50);
            last = h.admin.get("/api/sessions").json();
        }
    }

    private static void awaitCapture(Process capture, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(log).contains("Capturing on")) {
            assertThat(capture.isAlive()).as("dumpcap runs: " + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("dumpcap capturing within 20 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String tool(String name, String debianPackage) {
        for (String d : List.of("/usr/bin", "/usr/sbin")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        throw new AssertionError(name + " is not installed: apt-get install " + debianPackage + " (.ci/run installs it)");
    }
}
