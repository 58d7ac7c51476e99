package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * check and trace with a lab.yaml next to a two-VRF policy: gaps in every VRF the switch enforces,
 * and none between hosts that share a bridge but not a subnet (their traffic is routed through it).
 */
class EnforcementGapCliTest {
    @TempDir
    Path dir;

    @BeforeEach
    void policyAndLab() throws IOException {
        Files.writeString(dir.resolve("policy.yaml"), """
                domains: [{name: dc, devices: [sw], vrfs: [red, blue]}]
                devices: [{name: sw, platform: eos}]
                groups:
                  - {name: a, prefixes: [192.0.2.10]}
                  - {name: b, prefixes: [192.0.2.20]}
                  - {name: c, prefixes: [198.51.100.30]}
                policies:
                  - {name: red-p, domain: dc, vrf: red, rules: [{name: red-a-b, sources: [a], destinations: [b], action: drop}]}
                  - {name: blue-p, domain: dc, vrf: blue, rules: [{name: blue-a-c, sources: [a], destinations: [c], action: drop}]}
                """);
        Files.writeString(dir.resolve("lab.yaml"), """
                policy-device: sw
                router: {name: router, device: lab-router}
                subnets:
                  - {name: s1, prefix: 192.0.2.0/24, gateway: 192.0.2.1}
                  - {name: s2, prefix: 198.51.100.0/24, gateway: 198.51.100.1}
                bridges: [{name: hv, device: lab-hv}]
                hosts:
                  - {name: ha, subnet: s1, address: 192.0.2.10, bridge: hv}
                  - {name: hb, subnet: s1, address: 192.0.2.20, bridge: hv}
                  - {name: hc, subnet: s2, address: 198.51.100.30, bridge: hv}
                """);
    }

    @Test
    void checkFindsTheGapInTheVrfThatSeparatesTheHostsOnly() {
        CliRun run = CliRun.of("check", dir.toString(), "--quiet", "--output", "json");

        JsonNode findings = DiagnosticPrinter.JSON.readTree(run.out()).path("tables").get(0).get("rows"); // the shared analysis shape
        assertThat(findings.findParents("kind")).filteredOn(f -> f.get("kind").asString().equals("enforcement-gap"))
                .extracting(f -> f.get("where").asString() + ": " + f.get("subject").asString())
                .containsExactly("segment bridge hv, VRF red: ha -> hb");
    }

    @Test
    void traceWarnsOfTheBypassOnlyWithinOneSubnet() {
        CliRun sameSubnet = CliRun.of("trace", dir.toString(), "--src", "192.0.2.10", "--dst", "192.0.2.20", "--proto", "icmp");
        CliRun routed = CliRun.of("trace", dir.toString(), "--src", "192.0.2.10", "--dst", "198.51.100.30", "--proto", "icmp");

        assertThat(sameSubnet.out()).contains("both hosts sit on bridge hv");
        assertThat(routed.code()).isZero();
        assertThat(routed.out()).doesNotContain("both hosts sit on");
    }
}
