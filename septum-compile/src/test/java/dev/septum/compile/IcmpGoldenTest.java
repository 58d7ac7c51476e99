package dev.septum.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.plan.DevicePlanner;
import dev.septum.compile.render.Renderers;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ICMP and ICMPv6 types and codes, pinned byte for byte on EOS and nftables. Run with
 * {@code -Dseptum.updateGoldens=true} to rewrite the files after an intended change.
 */
class IcmpGoldenTest {
    static final Path DIR = Path.of("src", "test", "resources", "icmp");

    @ParameterizedTest
    @CsvSource({"leaf1, leaf1.eos", "router1, router1.nft"})
    void icmpServicesMatchTheirGoldenFiles(String device, String golden) throws IOException {
        LoadedPolicy loaded = PolicyLoader.loadString("policy.yaml", Files.readString(DIR.resolve("policy.yaml")));
        assertThat(loaded.diagnostics()).isEmpty();
        var plan = DevicePlanner.plan(loaded.model(), device).orElseThrow();
        String config = Renderers.forPlatform(plan.device().platform()).orElseThrow().render(plan);
        Path file = DIR.resolve(golden);
        if (Boolean.getBoolean("septum.updateGoldens")) {
            Files.writeString(file, config);
        }
        assertThat(config).isEqualTo(Files.readString(file));
    }
}
