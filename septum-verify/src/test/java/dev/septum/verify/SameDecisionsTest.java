package dev.septum.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.model.IpFamily;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The semantic diff leaves out a device whose matches and field-sets are unchanged, and only that:
 * a group's new prefix changes no match line (the match names its field-set), yet the device
 * using it is compared and its change found.
 */
class SameDecisionsTest {
    private static PolicyBuild policy(String webPrefix) {
        String yaml = """
                domains: [{name: d1, devices: [sw1], vrfs: [ALL]}, {name: d2, devices: [sw2], vrfs: [ALL]}]
                devices: [{name: sw1, platform: eos}, {name: sw2, platform: eos}]
                groups:
                  - {name: clients, prefixes: [10.1.0.0/24]}
                  - {name: web, prefixes: [%s]}
                  - {name: db, prefixes: [10.3.0.0/24]}
                services: [{name: HTTP, protocol: tcp, destination: www}]
                policies:
                  - name: p1
                    domain: d1
                    rules:
                      - {name: r1, sources: [clients], destinations: [web], services: [HTTP], action: forward}
                      - {name: else1, action: drop}
                  - name: p2
                    domain: d2
                    rules:
                      - {name: r2, sources: [clients], destinations: [db], services: [HTTP], action: forward}
                      - {name: else2, action: drop}
                """.formatted(webPrefix);
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", yaml)));
        assertThat(build.errors()).isEmpty();
        return build;
    }

    private static Optional<DevicePlan> plan(PolicyBuild build, String device) {
        return build.plans().stream().filter(p -> p.name().equals(device)).findFirst();
    }

    @Test
    void aDeviceWithTheSameMatchesAndFieldSetsIsSameAndTheOtherIsCompared() {
        PolicyBuild before = policy("10.2.0.0/24");
        PolicyBuild after = policy("10.2.0.0/25");

        assertThat(SameDecisions.of(plan(before, "sw2"), plan(after, "sw2"), "ALL", IpFamily.IPV4)).isTrue();
        assertThat(SameDecisions.of(plan(before, "sw1"), plan(after, "sw1"), "ALL", IpFamily.IPV4)).isFalse();
        assertThat(SameDecisions.of(plan(before, "sw1"), Optional.empty(), "ALL", IpFamily.IPV4)).isFalse();
        assertThat(SemanticDiff.compare(before, after)).isNotEmpty()
                .allSatisfy(c -> assertThat(c.enforcedAt()).isEqualTo("VRF ALL on sw1"))
                .anySatisfy(c -> assertThat(c.kind()).isEqualTo(SemanticDiff.Kind.NEWLY_BLOCKED));
        assertThat(SemanticDiff.compare(before, policy("10.2.0.0/24"))).isEmpty();
    }
}
