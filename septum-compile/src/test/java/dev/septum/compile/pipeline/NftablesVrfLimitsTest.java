package dev.septum.compile.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.validate.Diagnostic;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Linux router tells its VRFs apart by the VRF device a packet came in on: what cannot be told
 * apart that way (a bridge, a VRF name longer than an interface name, one match name in two VRFs,
 * which would share a counter) is refused by the build with the fix; two plain VRFs render.
 */
class NftablesVrfLimitsTest {
    private static String policy(String device, String vrfA, String vrfB, String ruleB) {
        return """
                domains: [{name: dc, devices: [fw], vrfs: [%2$s, %3$s]}]
                devices: [%1$s]
                groups: [{name: clients, prefixes: [198.51.100.0/24]}]
                policies:
                  - {name: a, domain: dc, vrf: %2$s, rules: [{name: drop-a, sources: [clients], action: drop}]}
                  - {name: b, domain: dc, vrf: %3$s, rules: [{name: %4$s, sources: [clients], action: forward}]}
                """.formatted(device, vrfA, vrfB, ruleB);
    }

    private static PolicyBuild build(String yaml) {
        return PolicyBuild.of(PolicySource.files("t", Map.of("p.yaml", yaml)));
    }

    @Test
    void aRouterWithTwoVrfsRenders() {
        PolicyBuild build = build(policy("{name: fw, platform: nftables}", "prod", "lab", "allow-b"));

        assertThat(build.errors()).isEmpty();
        assertThat(build.device("fw")).get().isInstanceOf(DeviceBuild.Rendered.class);
    }

    @Test
    void aBridgeCannotTellVrfsApart() {
        PolicyBuild build = build(policy("{name: fw, platform: nftables, tags: [bridge]}", "prod", "lab", "allow-b"));

        assertThat(build.errors()).extracting(Diagnostic::problem).singleElement().asString()
                .contains("a bridge table switches frames and sees no VRF", "prod, lab");
    }

    @Test
    void aVrfNameLongerThanAnInterfaceNameIsRefused() {
        PolicyBuild build = build(policy("{name: fw, platform: nftables}", "prod", "production-lab-1", "allow-b"));

        assertThat(build.errors()).singleElement().satisfies(d -> {
            assertThat(d.object()).isEqualTo("device 'fw'");
            assertThat(d.problem()).contains("VRF 'production-lab-1'", "at most 15 characters");
            assertThat(d.fix()).isEqualTo("rename the VRF to 15 characters or fewer");
        });
    }

    @Test
    void oneMatchNameInTwoVrfsIsRefusedBecauseTheyWouldShareACounter() {
        PolicyBuild build = build(policy("{name: fw, platform: nftables}", "prod", "lab", "drop-a"));

        assertThat(build.errors()).singleElement().satisfies(d -> {
            assertThat(d.problem()).contains("match 'drop-a' is in VRFs prod and lab");
            assertThat(d.fix()).isEqualTo("rename rule 'drop-a' in one of the VRFs");
        });
    }
}
