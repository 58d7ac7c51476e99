package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The seed's DNS/NTP story on real packets, step by step as docs/seed-story.md tells it: the
 * monitor rule enforced by a Linux router (nftables in namespaces of this run), the laptop's DNS
 * and NTP, each packet logged to NFLOG and sent by {@code septum mirror-agent} as GRE to {@code
 * septum collect --mirror} on the monitor node, the sessions stored with the rule that decided
 * them, {@code septum recommend} with the two categories, the two rules copied in, validated and
 * compiled, the new ruleset loaded on the router, and the probes answered with the new rules'
 * counters (not the monitor rule's) counting them.
 */
class SeedStoryTest {
    private static final Path SEED = Path.of("..", "examples", "seed-lab-dns-ntp");
    private static final String DNS_RULE = "wifi_clients-to-DNS_NTP_servers-DNS";
    private static final String NTP_RULE = "wifi_clients-to-DNS_NTP_servers-NTP";
    private static final List<String> CLIENTS = List.of("172.18.6.138", "172.18.6.139");
    private static final List<String> SERVERS = List.of("10.100.1.6", "10.100.1.7");

    @TempDir
    Path tmp;

    @Test
    void monitoredDnsAndNtpBecomeTheTwoRulesThatTheRouterThenEnforces() throws Exception {
        Path policy = Files.createDirectories(tmp.resolve("lab"));
        Files.copy(SEED.resolve("inventory.yaml"), policy.resolve("inventory.yaml"));
        Files.copy(SEED.resolve("objects.yaml"), policy.resolve("objects.yaml"));
        Files.copy(SEED.resolve("monitor-stage").resolve("policies.yaml"), policy.resolve("policies.yaml"));
        Path data = tmp.resolve("septum-data");

        try (MirrorTopology lab = MirrorTopology.up(tmp)) {
            // 1. the monitor rule on the enforcing router; 2. traffic, mirrored to the monitor node
            lab.enforce(policy);
            try (MirrorTopology.Mirror mirror = lab.startMirror(policy, data, "andreas-vztx")) {
                for (String client : CLIENTS) {
                    for (String server : SERVERS) {
                        assertThat(lab.exchange("udp", client, server, 53, 30, 90)).isEqualTo("90");
                        assertThat(lab.exchange("udp", client, server, 123, 48, 48)).isEqualTo("48");
                    }
                }
                assertThat(mirror.drain(stored -> packets(stored) == 16)).as("a request and an answer per exchange").isEqualTo(16);
            }

            // 3. the collected sessions, each decided by the monitor rule
            Map<String, Map<String, String>> sessions = MirrorTopology.rawSessions(data);
            assertThat(sessions).hasSize(8);
            assertThat(sessions.values()).allSatisfy(s -> assertThat(s).containsEntry("match", "monitor-dns-ntp")
                    .containsEntry("verdict", "forward").containsEntry("client_packets", "1").containsEntry("server_packets", "1"));
            assertThat(sessions).containsKeys("udp 172.18.6.139 10.100.1.6:53", "udp 172.18.6.138 10.100.1.7:123");

            // 4. the Policy Builder with the two categories: two rules, placed before the monitor rule
            Path proposal = tmp.resolve("proposal");
            CliRun recommend = CliRun.of("recommend", "--data-dir", data.toString(), "--policy", policy.toString(), "--monitor",
                    "andreas-vztx", "--categories", "zone,role", "--into", "dns_ntp_services", "--out", proposal.toString(), "-o", "json");
            assertThat(recommend.code()).as(recommend.err()).isZero();
            JsonNode doc = DiagnosticPrinter.JSON.readTree(recommend.out());
            assertThat(doc.get("rules").findValuesAsString("name")).containsExactlyInAnyOrder(DNS_RULE, NTP_RULE);
            assertThat(doc.get("totals").get("evidence").asLong()).isEqualTo(8);
            assertThat(doc.get("guarantees").get("hold").asBoolean()).isTrue();

            // 5. the proposal copied into the policy directory validates and compiles to the switch's two matches
            try (Stream<Path> files = Files.list(proposal)) {
                for (Path f : files.toList()) {
                    Files.copy(f, policy.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            CliRun validate = CliRun.of("validate", policy.toString());
            assertThat(validate.code()).as(validate.out() + validate.err()).isZero();
            CliRun compile = CliRun.of("compile", policy.toString());
            assertThat(compile.code()).as(compile.err()).isZero();
            assertThat(compile.out()).contains("match " + DNS_RULE + " ipv4", "match " + NTP_RULE + " ipv4");

            // 6. deployed to the router; 7. the probes are answered, decided by the new rules
            lab.enforce(policy);
            assertThat(lab.exchange("udp", "172.18.6.138", "10.100.1.7", 53, 30, 90)).isEqualTo("90");
            assertThat(lab.exchange("udp", "172.18.6.139", "10.100.1.6", 123, 48, 48)).isEqualTo("48");
            assertThat(lab.ruleCounter(DNS_RULE)).isPositive();
            assertThat(lab.ruleCounter(NTP_RULE)).isPositive();
            assertThat(lab.ruleCounter("monitor-dns-ntp")).isZero();
        }
    }

    /**
     * The web-app stage's last step: the lockdown (the seed lab's policy with its drop-else rule)
     * monitored on the drop-else rule. The seed's tests cross the router (SSH from the laptop to
     * web01 passes, the laptop's TCP 4567 to appserver1 does not) and web01 tries to fetch its
     * updates from the internet; the monitor node stores exactly the two dropped attempts, and the
     * builder reports them as failed attempts, never as rules.
     */
    @Test
    void theMonitoredDropElseRuleShowsWhatTheLockdownMissed() throws Exception {
        Path policy = MirrorTopology.seedLabMonitoring(tmp, "drop_all_else_web-app");
        Path data = tmp.resolve("septum-data");
        String app = "tcp 172.18.6.138 10.100.99.50:4567";
        String updates = "tcp 10.100.99.51 " + MirrorTopology.INTERNET + ":80";
        try (MirrorTopology lab = MirrorTopology.up(tmp)) {
            lab.enforce(policy);
            try (MirrorTopology.Mirror mirror = lab.startMirror(policy, data, "andreas-vztx")) {
                assertThat(lab.exchange("tcp", "172.18.6.138", "10.100.99.51", 22, 40, 40)).as("laptop -> web01 SSH").isEqualTo("40");
                assertThat(lab.attempt(lab.laptop, "172.18.6.138", "10.100.99.50", 4567)).as("laptop -> appserver1 4567")
                        .isEqualTo("timed out");
                assertThat(lab.attempt(lab.servers, "10.100.99.51", MirrorTopology.INTERNET, 80)).as("web01 -> internet HTTP")
                        .isEqualTo("timed out");
                mirror.drain(stored -> stored.containsKey(app) && stored.containsKey(updates));
            }

            Map<String, Map<String, String>> sessions = MirrorTopology.rawSessions(data);
            assertThat(sessions.keySet()).as("only the drop-else rule is monitored").containsExactlyInAnyOrder(app, updates);
            assertThat(sessions.values()).allSatisfy(s -> {
                assertThat(s).containsEntry("verdict", "drop").containsEntry("state", "half-open").containsEntry("server_packets", "0");
                assertThat(s.get("match")).startsWith("drop_all_else_web-app");
            });

            CliRun recommend = CliRun.of("recommend", "--data-dir", data.toString(), "--policy", policy.toString(), "--rule",
                    "drop_all_else_web-app", "--categories", "zone,role", "-o", "json");
            assertThat(recommend.code()).as(recommend.err()).isZero();
            JsonNode doc = DiagnosticPrinter.JSON.readTree(recommend.out());
            assertThat(doc.get("rules")).as("failed attempts are never allowed").isEmpty();
            assertThat(doc.get("totals").get("failedAttempts").asLong()).isEqualTo(2);
        }
    }

    private static long packets(Map<String, Map<String, String>> sessions) {
        return sessions.values().stream()
                .mapToLong(s -> Long.parseLong(s.get("client_packets")) + Long.parseLong(s.get("server_packets"))).sum();
    }
}
