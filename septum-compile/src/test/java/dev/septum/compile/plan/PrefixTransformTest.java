package dev.septum.compile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import dev.septum.model.Role;
import dev.septum.model.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strata families read from real Arista part numbers, and the tags that override them. */
class PrefixTransformTest {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "DCS-7050SX3-48YC8, true",   // Trident3: the part number the substring test missed
        "DCS-7050CX3-32S, true",
        "DCS-7050TX3-48C8, true",
        "DCS-7050QX-32S, true",      // Trident2
        "DCS-7050SX2-72Q, true",
        "DCS-7050DX4-32S, true",     // Trident4
        "DCS-7060CX-32S, true",      // Tomahawk
        "DCS-7260CX3-64, true",
        "DCS-7010T-48, true",
        "DCS-7304X3, true",
        "CCS-720XP-48ZC2, true",     // the seed's switch
        "CCS-722XPM-48Y4, true",
        "CCS-720DP-48S-2F, true",
        "CCS-710P-16P, true",
        "7050SX3-48YC8, true",       // without the DCS- prefix
        "ccs-720xp-24y6, true",
        "DCS-7280SR3-48YC8, false",  // Jericho2: same port layout as the 7050SX3, another chip
        "DCS-7280CR3-32P4, false",
        "DCS-7020SR-24C2, false",    // Qumran
        "DCS-7500R3, false",
        "DCS-7170-32C, false",       // Tofino
        "DCS-7160-48YC6, false",     // XPliant
        "vZTX, false",
        "'', false",
    })
    void strataFamiliesAreReadFromThePartNumber(String partNumber, boolean strata) {
        assertThat(PrefixTransform.needed(device(partNumber))).isEqualTo(strata);
    }

    @ParameterizedTest(name = "{0} tagged {1}: {2}")
    @CsvSource({
        "DCS-7280SR3-48YC8, prefix-transform, true",
        "CCS-720XP-48ZC2, no-prefix-transform, false",
        "DCS-7050SX3-48YC8, no-prefix-transform, false",
    })
    void tagsOverrideThePartNumber(String partNumber, String tag, boolean needed) {
        assertThat(PrefixTransform.needed(device(partNumber, tag))).isEqualTo(needed);
    }

    @Test
    void bothTagsAreRefusedByTheBuildNamingTheDevice() {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", """
                domains: [{name: dc, devices: [sw], vrfs: [ALL]}]
                devices: [{name: sw, platform: eos, model: CCS-720XP-48ZC2, tags: [prefix-transform, no-prefix-transform]}]
                """)));

        assertThat(build.ok()).isFalse();
        assertThat(build.errors()).singleElement().satisfies(d -> {
            assertThat(d.object()).isEqualTo("device 'sw'");
            assertThat(d.field()).isEqualTo("tags");
            assertThat(d.format()).contains("'prefix-transform' and 'no-prefix-transform'").contains("Fix:");
        });
        assertThat(PrefixTransform.contradiction(device("CCS-720XP-48ZC2", "prefix-transform"))).isEmpty();
    }

    private static Device device(String model, String... tags) {
        return new Device("sw", Platform.EOS, Role.SWITCH, model, Optional.empty(), Optional.empty(), List.of(tags),
                SourceLocation.of("test.yaml"));
    }
}
