package dev.septum.compile.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.validate.Diagnostic;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A Linux router redirects by policy routing: one VRF, a router port per redirect object, a mark
 * byte per redirect object. What it cannot do is refused by the build with the fix; the rest renders.
 */
class NftablesRedirectLimitsTest {
    private static PolicyBuild build(String yaml) {
        return PolicyBuild.of(PolicySource.files("t", Map.of("p.yaml", yaml)));
    }

    private static String policy(int redirectObjects, String vrfs) {
        String redirects = IntStream.rangeClosed(1, redirectObjects)
                .mapToObj(i -> "  - {name: fw" + i + ", next-hops: [192.0.2." + (i % 250 + 1) + "], router-port: eth1}")
                .collect(Collectors.joining("\n"));
        String rules = IntStream.rangeClosed(1, redirectObjects)
                .mapToObj(i -> "      - {name: r" + i + ", sources: [clients], action: redirect, redirect: fw" + i + "}")
                .collect(Collectors.joining("\n"));
        return """
                domains: [{name: dc, devices: [r1], vrfs: [%s]}]
                devices: [{name: r1, platform: nftables}]
                groups: [{name: clients, prefixes: [198.51.100.0/24]}]
                redirects:
                %s
                policies:
                  - name: p
                    domain: dc
                    vrf: %s
                    rules:
                %s
                """.formatted(vrfs, redirects, vrfs.split(", ")[0], rules);
    }

    @Test
    void aRouterRendersTwoHundredFiftyFiveRedirectObjects() {
        PolicyBuild build = build(policy(255, "ALL"));

        assertThat(build.errors()).isEmpty();
        assertThat(build.device("r1")).get().isInstanceOf(DeviceBuild.Rendered.class);
    }

    @Test
    void aRouterRefusesMoreRedirectObjectsThanItHasMarks() {
        PolicyBuild build = build(policy(256, "ALL"));

        assertThat(build.errors()).extracting(Diagnostic::problem).first().asString()
                .contains("256 redirect objects", "at most 255");
    }

    @Test
    void aRouterWithSeveralVrfsCannotRedirectYet() {
        PolicyBuild build = build(policy(1, "prod, lab")
                + "  - {name: q, domain: dc, vrf: lab, rules: [{name: d, sources: [clients], action: drop}]}\n");

        assertThat(build.errors()).singleElement().satisfies(d -> {
            assertThat(d.object()).isEqualTo("rule 'r1' in policy 'p'");
            assertThat(d.problem()).contains("several VRFs cannot redirect yet");
            assertThat(d.fix()).contains("router with one VRF");
        });
    }
}
