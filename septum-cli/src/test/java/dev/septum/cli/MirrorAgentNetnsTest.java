package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitored rule on Linux, end to end, in network namespaces this test creates (unique names,
 * deleted also on failure): a laptop, a router enforcing the seed's policy with Septum's nftables
 * ruleset (three rules monitored), a server namespace (web01 and the DNS server) and a monitor node.
 * Real traffic crosses the router; the rendered {@code log group} hands it to {@code septum
 * mirror-agent}, which sends it as GRE to {@code septum collect --mirror} on the monitor node; the
 * stored sessions carry the endpoints, ports, packets and bytes of that traffic and the rule that
 * decided it. No GRE device is involved (this kernel has none).
 */
class MirrorAgentNetnsTest {
    @TempDir
    Path tmp;

    @Test
    void monitoredRulesOfAnNftablesRouterReachTheMonitorNodeAsSessions() throws Exception {
        Path policy = MirrorTopology.seedLabMonitoring(tmp, "allow_all_DNS", "clients_to_webservers", "drop_all_else_web-app");
        Path dataDir = tmp.resolve("monitor-data");
        try (MirrorTopology lab = MirrorTopology.up(tmp)) {
            lab.enforce(policy);
            try (MirrorTopology.Mirror mirror = lab.startMirror(policy, dataDir, "andreas-vztx")) {
                assertThat(lab.exchange("udp", "172.18.6.138", "10.100.1.7", 53, 30, 90)).isEqualTo("90");
                assertThat(lab.exchange("tcp", "172.18.6.138", "10.100.99.51", 80, 200, 1000)).isEqualTo("1000");
                Process ping = new ProcessBuilder("ip", "netns", "exec", lab.servers, "ping", "-c", "2", "-i", "0.2", "-W", "1",
                        "172.18.6.138").redirectErrorStream(true).start();
                assertThat(ping.waitFor(20, TimeUnit.SECONDS)).isTrue();
                String pinged = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(ping.exitValue()).as("the drop-else rule drops web01's ping").isNotZero();
                assertThat(pinged).contains("2 packets transmitted, 0 received");
                mirror.drain(stored -> "2".equals(stored.getOrDefault("icmp 10.100.99.51 172.18.6.138:0", Map.of()).get("client_packets")));
            }

            Map<String, Map<String, String>> sessions = MirrorTopology.rawSessions(dataDir);
            Map<String, String> dns = sessions.get("udp 172.18.6.138 10.100.1.7:53");
            assertThat(dns).containsEntry("client_packets", "1").containsEntry("client_bytes", "58")
                    .containsEntry("server_packets", "1").containsEntry("server_bytes", "118")
                    .containsEntry("match", "allow_all_DNS").containsEntry("verdict", "forward");
            Map<String, String> http = sessions.get("tcp 172.18.6.138 10.100.99.51:80");
            assertThat(http).containsEntry("state", "complete").containsEntry("match", "clients_to_webservers");
            // the replies passed by conntrack; the flow's mark had them logged too
            assertThat(Long.parseLong(http.get("server_packets"))).isGreaterThanOrEqualTo(3);
            assertThat(Long.parseLong(http.get("server_bytes"))).isGreaterThanOrEqualTo(1000 + 3 * 40);
            assertThat(Long.parseLong(http.get("client_bytes"))).isGreaterThanOrEqualTo(200 + 4 * 40);
            assertThat(http.get("client_tcp_flags")).contains("SYN");
            Map<String, String> ping = sessions.get("icmp 10.100.99.51 172.18.6.138:0");
            assertThat(ping).containsEntry("client_packets", "2").containsEntry("client_bytes", "168")
                    .containsEntry("server_packets", "0").containsEntry("match", "drop_all_else_web-app")
                    .containsEntry("verdict", "drop");
            assertThat(sessions).hasSize(3);
        }
    }
}
