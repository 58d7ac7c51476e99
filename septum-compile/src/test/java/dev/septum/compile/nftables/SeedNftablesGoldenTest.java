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
import org.junit.jupiter.api.io.TempDir;
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

    /**
     * The seed with its HTTP rule and its drop-else rule monitored (as the seed's engineer monitors the
     * drop-else rule to see what it missed): the monitored forward logs and marks its flows in the
     * stateful table, the base chains log the marked flows' later packets, the drop logs its packets.
     */
    @ParameterizedTest
    @CsvSource({"lab-router, inet, seed-lab-router-monitored.nft", "lab-bridge, bridge, seed-lab-bridge-monitored.nft"})
    void monitoredRulesLogToTheirMonitorsNflogGroup(String device, String tag, String golden, @TempDir Path dir)
            throws IOException {
        Path seed = Path.of("..", "examples", "seed-lab");
        try (var files = Files.list(seed)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path policies = dir.resolve("policies.yaml");
        String yaml = Files.readString(policies);
        for (String rule : List.of("clients_to_webservers", "drop_all_else_web-app")) {
            String head = "      - name: " + rule + "\n";
            assertThat(yaml).contains(head);
            yaml = yaml.replace(head, head + "        monitor: andreas-vztx\n");
        }
        Files.writeString(policies, yaml);
        String config = new NftablesRenderer().render(seedPlanOn(dir, device, tag));
        assertThat(config).contains("log group " + NftNames.nflogGroup("andreas-vztx-ALL"));
        Path file = GOLDEN.resolve(golden);
        if (Boolean.getBoolean("septum.updateGoldens")) {
            Files.writeString(file, config);
        }
        assertThat(config).isEqualTo(Files.readString(file));
    }

    /** The switch's plan, enforced by a Linux device with the given family tag. */
    static DevicePlan seedPlanOn(String device, String tag) {
        return seedPlanOn(Path.of("..", "examples", "seed-lab"), device, tag);
    }

    static DevicePlan seedPlanOn(Path policyDir, String device, String tag) {
        LoadedPolicy loaded = PolicyLoader.loadDirectory(policyDir);
        assertThat(loaded.diagnostics()).isEmpty();
        DevicePlan switchPlan = DevicePlanner.plan(loaded.model(), "andreasm-720xp-home").orElseThrow();
        return switchPlan.on(linuxDevice(device, tag));
    }

    static Device linuxDevice(String name, String... tags) {
        return new Device(name, Platform.NFTABLES, Role.SWITCH, "linux", Optional.empty(), Optional.empty(),
                List.of(tags), SourceLocation.of("lab.yaml"));
    }
}
