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
        assertGolden(new NftablesRenderer().render(seedPlanOn(device, tag)), golden);
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
        String yaml = seedPolicies(dir);
        for (String rule : List.of("clients_to_webservers", "drop_all_else_web-app")) {
            String head = "      - name: " + rule + "\n";
            assertThat(yaml).contains(head);
            yaml = yaml.replace(head, head + "        monitor: andreas-vztx\n");
        }
        Files.writeString(dir.resolve("policies.yaml"), yaml);
        String config = new NftablesRenderer().render(seedPlanOn(dir, device, tag));
        assertThat(config).contains("log group " + NftNames.nflogGroup("andreas-vztx-ALL"));
        assertGolden(config, golden);
    }

    /**
     * A staged drop of the wifi clients' HTTP to the webservers, above the rule that forwards it:
     * its rules carry the same conditions and a counter, and no verdict, so the packet goes on to
     * {@code clients_to_webservers} as before.
     */
    @ParameterizedTest
    @CsvSource({"lab-router, inet, seed-lab-router-staged.nft", "lab-bridge, bridge, seed-lab-bridge-staged.nft"})
    void stagedRuleCountsWithoutAVerdict(String device, String tag, String golden, @TempDir Path dir) throws IOException {
        String head = "      - name: clients_to_webservers\n";
        String yaml = seedPolicies(dir);
        assertThat(yaml).contains(head);
        Files.writeString(dir.resolve("policies.yaml"), yaml.replace(head, STAGED_DROP + head));
        String config = new NftablesRenderer().render(seedPlanOn(dir, device, tag));
        List<String> staged = config.lines().filter(l -> l.contains("counter name c_" + STAGED + " ")).toList();
        assertThat(staged).isNotEmpty().allSatisfy(l -> assertThat(l).endsWith("comment \"staged\"")
                .doesNotContain(" accept").doesNotContain(" drop").doesNotContain("jump").doesNotContain("log group"));
        assertGolden(config, golden);
    }

    static final String STAGED = "wifi_http_staged";

    /** A staged drop rule in the seed's rule layout, to put above a rule. */
    static final String STAGED_DROP = """
                  - name: wifi_http_staged
                    description: would drop the wifi clients' HTTP
                    sources: [wifi_clients]
                    destinations: [web01_web02]
                    services: [HTTP]
                    direction: bi
                    action: drop
                    mode: staged
            """;

    /** Copies the seed lab's files into {@code dir} and returns its policies, to be edited and written back. */
    static String seedPolicies(Path dir) throws IOException {
        try (var files = Files.list(Path.of("..", "examples", "seed-lab"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return Files.readString(dir.resolve("policies.yaml"));
    }

    private static void assertGolden(String config, String golden) throws IOException {
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
