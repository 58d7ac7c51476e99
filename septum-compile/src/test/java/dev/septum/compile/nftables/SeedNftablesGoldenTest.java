package dev.septum.compile.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import dev.septum.model.Role;
import dev.septum.model.SourceLocation;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed's final policy on a Linux router (inet table) and on a hypervisor bridge (stateless
 * bridge table), pinned byte for byte so every change to the nftables output shows in review.
 * Run with {@code -Dseptum.updateGoldens=true} to rewrite the files after an intended change.
 */
class SeedNftablesGoldenTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "nftables");

    @ParameterizedTest
    @CsvSource({"lab-router, inet, seed-lab-router.nft", "lab-bridge, bridge, seed-lab-bridge.nft"})
    void seedPolicyMatchesItsGoldenFile(String device, String tag, String golden) throws IOException {
        String config = new NftablesRenderer().render(seedPlanOn(device, tag));
        Path file = GOLDEN.resolve(golden);
        if (Boolean.getBoolean("septum.updateGoldens")) {
            Files.writeString(file, config);
        }
        assertThat(config).isEqualTo(Files.readString(file));
    }

    /** The switch's plan, enforced by a Linux device with the given family tag. */
    static DevicePlan seedPlanOn(String device, String tag) {
        LoadedPolicy loaded = PolicyLoader.loadDirectory(Path.of("..", "examples", "seed-lab"));
        assertThat(loaded.diagnostics()).isEmpty();
        DevicePlan switchPlan = DevicePlanner.plan(loaded.model(), "andreasm-720xp-home").orElseThrow();
        return switchPlan.on(linuxDevice(device, tag));
    }

    static Device linuxDevice(String name, String... tags) {
        return new Device(name, Platform.NFTABLES, Role.SWITCH, "linux", Optional.empty(), Optional.empty(),
                List.of(tags), SourceLocation.of("lab.yaml"));
    }
}
