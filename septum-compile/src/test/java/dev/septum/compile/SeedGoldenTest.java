package dev.septum.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.eos.EosRenderer;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract with the seed: compiling the seed's lab reproduces, line for line, the
 * traffic-policies block the seed's 720XP showed, at both stages of the deployment. The seed's
 * excerpts stop before the built-in default matches, so they must appear as one contiguous run
 * of our output; the full output per device is pinned by the golden files in {@code expected/}.
 * Determinism (file order, a second JVM) is {@link DeterminismTest}'s.
 */
class SeedGoldenTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @ParameterizedTest
    @CsvSource({"seed-lab, final-traffic-policies.txt", "seed-lab-dns-ntp, dns-ntp-stage-traffic-policies.txt"})
    void switchConfigContainsTheSeedsTrafficPoliciesVerbatim(String example, String seedExcerpt) throws IOException {
        String config = render(example, "andreasm-720xp-home");
        String seed = resource("/seed/" + seedExcerpt);

        assertThat(config).contains(seed);
        assertThat(config.substring(config.indexOf(seed) + seed.length()))
                .as("after the seed's excerpt only the built-in defaults follow")
                .isEqualTo(tail(seed));
    }

    @ParameterizedTest
    @CsvSource({"seed-lab, andreasm-720xp-home", "seed-lab, andreas-ztx1",
        "seed-lab-dns-ntp, andreasm-720xp-home", "seed-lab-dns-ntp, andreas-ztx1"})
    void everyDeviceMatchesItsGoldenFile(String example, String device) throws IOException {
        String golden = Files.readString(EXAMPLES.resolve(example).resolve("expected").resolve(device + ".eos"));

        assertThat(render(example, device)).isEqualTo(golden);
    }

    /** The final excerpt ends on the separator before the defaults; the stage excerpt one line earlier. */
    private static String tail(String seed) {
        String defaults = "      match ipv4-all-default ipv4\n      !\n      match ipv6-all-default ipv6\n";
        return seed.endsWith("      !\n") ? defaults : "      !\n" + defaults;
    }

    static String render(String example, String device) {
        LoadedPolicy loaded = PolicyLoader.loadDirectory(EXAMPLES.resolve(example));
        assertThat(loaded.diagnostics()).as("diagnostics of " + example).isEmpty();
        DevicePlan plan = DevicePlanner.plan(loaded.model(), device).orElseThrow();
        return new EosRenderer().render(plan);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SeedGoldenTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
