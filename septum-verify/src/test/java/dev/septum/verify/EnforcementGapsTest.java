package dev.septum.verify;

import static dev.septum.verify.SeedLabVerificationTest.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gaps in every VRF the enforcer enforces, and only between hosts whose traffic really stays on the bridge. */
class EnforcementGapsTest {
    private static final String POLICY = """
            domains: [{name: dc, devices: [sw], vrfs: [red, blue]}]
            devices: [{name: sw, platform: eos}]
            groups:
              - {name: a, prefixes: [192.0.2.10]}
              - {name: b, prefixes: [192.0.2.20]}
              - {name: c, prefixes: [198.51.100.30]}
            policies:
              - {name: red-p, domain: dc, vrf: red, rules: [{name: red-a-b, sources: [a], destinations: [b], action: drop}]}
              - name: blue-p
                domain: dc
                vrf: blue
                rules:
                  - {name: blue-a-c, sources: [a], destinations: [c], action: drop}
            """;
    private static final PolicyBuild BUILD = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", POLICY)));

    @Test
    void everyEnforcedVrfIsCheckedNotOnlyAll() {
        EnforcementGaps.Segment bridge = new EnforcementGaps.Segment("bridge hv", List.of(
                endpoint("ha", "192.0.2.10", "192.0.2.0/24"), endpoint("hb", "192.0.2.20", "192.0.2.0/24")));

        List<Finding> gaps = EnforcementGaps.find(BUILD.plan("sw").orElseThrow(), List.of(bridge));

        assertThat(gaps).extracting(Finding::where, Finding::subject)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("segment bridge hv, VRF red", "ha -> hb"));
        assertThat(gaps.getFirst().message()).contains("(VRF red)").contains("red-a-b");
    }

    @Test
    void hostsOfDifferentSubnetsOnOneBridgeAreRoutedThroughTheEnforcer() {
        EnforcementGaps.Segment bridge = new EnforcementGaps.Segment("bridge hv", List.of(
                endpoint("ha", "192.0.2.10", "192.0.2.0/24"), endpoint("hc", "198.51.100.30", "198.51.100.0/24")));

        assertThat(bridge.bypasses(bridge.endpoints().get(0), bridge.endpoints().get(1))).isFalse();
        assertThat(EnforcementGaps.find(BUILD.plan("sw").orElseThrow(), List.of(bridge))).isEmpty();
    }
}
