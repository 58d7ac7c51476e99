package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The Policy Builder end to end with a real exporter: the seed's DNS/NTP stage as packets (scapy),
 * read by softflowd and exported as IPFIX biflows to {@code septum collect} on loopback, stored, and
 * recommended with the two categories: the seed's two rules; the scan is reported, never allowed.
 */
class RecommendSoftflowdTest {
    private static final Path SEED = Path.of("..", "examples", "seed-lab-dns-ntp");

    @TempDir
    Path tmp;

    @Test
    void softflowdsBiflowsOfTheDnsNtpStageBecomeTheTwoRules() throws Exception {
        String python = tool("python3", "python3 python3-scapy");
        String softflowd = tool("softflowd", "softflowd");
        Path script = tmp.resolve("dns-ntp-pcap.py");
        try (InputStream in = getClass().getResourceAsStream("/recommend/dns-ntp-pcap.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path pcap = tmp.resolve("dns-ntp.pcap");
        assertThat(run(python, script.toString(), pcap.toString()).exitValue()).as("the pcap is made").isZero();

        int port = FlowsCliTest.freePort();
        String data = tmp.resolve("data").toString();
        CompletableFuture<CliRun> collect = CompletableFuture.supplyAsync(() -> CliRun.of("collect", "--listen", "127.0.0.1:" + port,
                "--data-dir", data, "--duration", "6", "--flush-interval", "200"));
        FlowsCliTest.waitForUdpListener(port);
        Process exporter = run(softflowd, "-r", pcap.toString(), "-v", "10", "-b", "-n", "127.0.0.1:" + port, "-d", "-c", "none",
                "-A", "milli");
        assertThat(exporter.exitValue()).as("softflowd").isZero();
        CliRun collected = collect.get(30, TimeUnit.SECONDS);
        assertThat(collected.code()).as(collected.err()).isZero();

        Path policy = Files.createDirectories(tmp.resolve("policy"));
        Files.copy(SEED.resolve("inventory.yaml"), policy.resolve("inventory.yaml"));
        Files.copy(SEED.resolve("objects.yaml"), policy.resolve("objects.yaml"));
        Files.copy(SEED.resolve("monitor-stage").resolve("policies.yaml"), policy.resolve("policies.yaml"));
        CliRun all = CliRun.of("recommend", "--data-dir", data, "--policy", policy.toString(), "--categories", "zone,role",
                "--into", "dns_ntp_services", "-o", "json");
        assertThat(all.code()).as(all.err()).isZero();
        JsonNode doc = DiagnosticPrinter.JSON.readTree(all.out());
        assertThat(doc.get("rules").findValuesAsString("name"))
                .containsExactlyInAnyOrder("wifi_clients-to-DNS_NTP_servers-DNS", "wifi_clients-to-DNS_NTP_servers-NTP");
        assertThat(doc.get("totals").get("evidence").asLong()).isEqualTo(20);
        assertThat(doc.get("totals").get("failedAttempts").asLong()).isEqualTo(10);
        assertThat(doc.get("probes").findValuesAsString("kind")).contains("scan");
        assertThat(doc.get("guarantees").get("hold").asBoolean()).isTrue();
        assertThat(doc.get("rules").findValuesAsString("directionConfidence")).doesNotContain("low");
    }

    private static String tool(String name, String debianPackage) {
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new AssertionError(name + " is not installed: apt-get install " + debianPackage + " (.ci/run installs it)");
    }

    private Process run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("tool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        return p;
    }
}
