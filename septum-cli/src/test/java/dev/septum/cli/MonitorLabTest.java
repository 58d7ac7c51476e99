package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code septum lab run} with a monitor node (examples/monitor-lab): the router's monitored rules
 * log to NFLOG, the mirror agent sends real GRE to the monitor host's collector, and the probes'
 * {@code mirrored} expectations are judged against the sessions it stored, with their rules. A lab
 * whose expectations are wrong fails on exactly those probes.
 */
class MonitorLabTest {
    private static final Path LAB = Path.of("..", "examples", "monitor-lab");
    private static final String PREFIX = "sml" + ProcessHandle.current().pid() + "-";

    @AfterAll
    static void nothingIsLeftBehind() {
        CliRun.of("lab", "down", LAB.toString(), "--prefix", PREFIX);
    }

    @Test
    void theMonitorNodeStoresWhatTheMonitoredRulesMirror(@TempDir Path tmp) throws IOException {
        CliRun run = CliRun.of("lab", "run", LAB.toString(), "--prefix", PREFIX, "--monitor-data", tmp.resolve("store").toString());

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        String out = run.out().replaceAll(" +", " ");
        assertThat(out).contains("laptop -> dns dns seen (monitor-dns-ntp) seen (monitor-dns-ntp) ok",
                "laptop -> dns ntp seen (monitor-dns-ntp) seen (monitor-dns-ntp) ok",
                "laptop -> web01 ssh not seen not seen ok",
                "laptop -> web01 http seen (drop-else-to-web01) seen (drop-else-to-web01) ok",
                "monitor: 4 checks, 0 mismatches");
        var stored = MirrorTopology.rawSessions(tmp.resolve("store").resolve("default"));
        assertThat(stored.get("udp 172.18.6.138 10.100.1.7:53")).containsEntry("client_packets", "1")
                .containsEntry("server_packets", "1").containsEntry("match", "monitor-dns-ntp");
        assertThat(stored.keySet()).noneMatch(k -> k.endsWith(":22"));
        // every SYN the drop rule counted (curl retries within its 2 s) was logged, sent and stored
        Matcher dropped = Pattern.compile("drop-else-to-web01=(\\d+)").matcher(out);
        assertThat(dropped.find()).as(out).isTrue();
        assertThat(stored.get("tcp 172.18.6.138 10.100.99.51:80")).containsEntry("client_packets", dropped.group(1))
                .containsEntry("match", "drop-else-to-web01");
    }

    @Test
    void wrongMirrorExpectationsAreMismatches(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp);
        Path lab = dir.resolve("lab.yaml");
        Files.writeString(lab, Files.readString(lab).replace("probe: ssh, expect: allow, mirrored: false", "probe: ssh, expect: allow, mirrored: true")
                .replace("probe: ntp, expect: allow, mirrored: monitor-dns-ntp", "probe: ntp, expect: allow, mirrored: ssh-to-web01"));

        CliRun run = CliRun.of("lab", "run", dir.toString(), "--prefix", PREFIX);

        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCodes.POLICY_ERRORS);
        String out = run.out().replaceAll(" +", " ");
        assertThat(out).contains("laptop -> web01 ssh seen not seen MISMATCH",
                "laptop -> dns ntp seen (ssh-to-web01) seen (monitor-dns-ntp) MISMATCH",
                "laptop -> dns dns seen (monitor-dns-ntp) seen (monitor-dns-ntp) ok", "monitor: 4 checks, 2 mismatches");
    }

    @Test
    void aMonitorHostOffTheTunnelDestinationIsRefusedBeforeAnythingIsBuilt(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp);
        Path lab = dir.resolve("lab.yaml");
        Files.writeString(lab, Files.readString(lab).replace("address: 10.255.1.11", "address: 10.255.1.12"));

        CliRun run = CliRun.of("lab", "config", dir.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.POLICY_ERRORS);
        assertThat(run.err()).contains("lab.yaml: monitor, field 'host': vztx (10.255.1.12) is not where andreasm-720xp-home mirrors: "
                + "no monitor object has it as tunnel-destination. Fix: give the host the tunnel-destination of a monitor object a rule uses");
    }

    private static Path copy(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("monitor-lab"));
        try (var files = Files.list(LAB)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }
}
