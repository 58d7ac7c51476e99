package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** trace by ICMP type, diff of redirects, reach of redirected and outside traffic, check naming what makes a rule redundant. */
class ReviewCommandsCliTest {
    private static final String POLICY = """
            domains: [{name: d, devices: [sw], vrfs: [ALL]}]
            devices: [{name: sw, platform: eos}]
            groups: [{name: clients, prefixes: [10.1.0.0/24]}, {name: web, prefixes: [10.2.0.0/24]}]
            services:
              - {name: HTTP, protocol: tcp, destination: www}
              - {name: ping, protocol: icmp, icmp-type: echo-request}
            redirects: [{name: fw, next-hops: [192.0.2.1]}]
            policies:
              - name: p
                domain: d
                rules:
                  - {name: ping-web, sources: [clients], destinations: [web], services: [ping], action: forward}
                  - {name: web, sources: [clients], destinations: [web], services: [HTTP], action: ACTION}
                  - {name: no-icmp-to-web, destinations: [web], action: drop}
            """;

    @TempDir
    Path tmp;

    private String policy(String name, String action) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("p.yaml"), POLICY.replace("ACTION", action));
        return dir.toString();
    }

    @Test
    void traceTakesAnIcmpTypeAndCode() throws IOException {
        String dir = policy("a", "forward");

        CliRun ping = CliRun.of("trace", dir, "--src", "10.1.0.5", "--dst", "10.2.0.5", "--proto", "icmp");
        CliRun unreachable = CliRun.of("trace", dir, "--src", "10.1.0.5", "--dst", "10.2.0.5", "--proto", "icmp",
                "--icmp-type", "destination-unreachable", "--icmp-code", "port-unreachable");
        CliRun misspelt = CliRun.of("trace", dir, "--src", "10.1.0.5", "--dst", "10.2.0.5", "--proto", "icmp", "--icmp-type", "echo");
        CliRun onTcp = CliRun.of("trace", dir, "--src", "10.1.0.5", "--dst", "10.2.0.5", "--proto", "tcp", "--dport", "80",
                "--icmp-type", "8");

        assertThat(ping.out()).contains("flow 10.1.0.5 -> 10.2.0.5 icmp echo-request code 0")
                .containsPattern(" forward +ping-web +p +ping-web\n");
        assertThat(unreachable.out()).contains("icmp destination-unreachable code 3 is not in service ping (icmp echo-request)")
                .containsPattern(" drop +no-icmp-to-web +p +no-icmp-to-web\n");
        assertThat(misspelt.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(misspelt.err()).contains("--icmp-type 'echo' is not an icmp type");
        assertThat(onTcp.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(onTcp.err()).contains("--icmp-type is only for icmp and icmpv6 packets");
    }

    @Test
    void diffCallsARedirectARedirect() throws IOException {
        CliRun run = CliRun.of("diff", policy("a", "forward"), policy("b", "redirect, redirect: fw"), "--no-config");
        CliRun json = CliRun.of("diff", policy("a", "forward"), policy("b", "redirect, redirect: fw"), "--no-config", "-o", "json");

        assertThat(run.code()).isZero();
        assertThat(run.out()).containsPattern("newly redirected +ipv4 +forward +redirect to fw +yes +clients -> web, HTTP\n")
                .doesNotContain("newly blocked");
        JsonNode change = DiagnosticPrinter.JSON.readTree(json.out()).get("tables").get(0).get("rows").get(0);
        assertThat(change.get("kind").asString()).isEqualTo("newly redirected");
        assertThat(change.get("after").asString()).isEqualTo("redirect to fw");
    }

    @Test
    void reachListsRedirectedServicesAndTheOutside() throws IOException {
        CliRun run = CliRun.of("reach", policy("b", "redirect, redirect: fw"));
        CliRun json = CliRun.of("reach", policy("b", "redirect, redirect: fw"), "-o", "json");

        assertThat(run.out()).containsPattern("\nclients +web +none +ping\n    redirected: HTTP to fw\n")
                .containsPattern("\n\\(outside every group\\) +web +none +-\n")
                .containsPattern("\nclients +\\(outside every group\\) +all +HTTP, ping\n");
        JsonNode pairs = DiagnosticPrinter.JSON.readTree(json.out()).get("tables").get(0).get("rows");
        assertThat(pairs.get(1).get("destination").asString()).isEqualTo("web");
        assertThat(pairs.get(1).get("redirected").get(0).asString()).isEqualTo("HTTP to fw");
    }

    @Test
    void checkNamesTheRulesThatMakeOneRedundant() throws IOException {
        CliRun run = CliRun.of("check", policy("a", "drop"), "--min-level", "warning", "-q");

        assertThat(run.out()).containsPattern("warning +redundant .* match web ipv4 \\(rule web\\)\n")
                .contains("    finding: removing it changes no verdict: no-icmp-to-web already drop every packet it decides")
                .contains("    because of: no-icmp-to-web\n");
    }
}
