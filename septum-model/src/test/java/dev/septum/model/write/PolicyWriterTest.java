package dev.septum.model.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.model.Group;
import dev.septum.model.PolicyModel;
import dev.septum.model.Ref;
import dev.septum.model.SecurityDomain;
import dev.septum.model.SourceLocation;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Writing a model and loading the text gives the same model, for the examples and for random models. */
class PolicyWriterTest {
    private static final SourceLocation AT = SourceLocation.of("test");

    @TempDir
    Path tmp;

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("..", "examples"))) {
            List<Path> all = dirs.filter(Files::isDirectory).sorted().toList();
            assertThat(all).as("the examples directory").isNotEmpty();
            return all.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleRoundTripsAsOneFileAndAsADirectory(Path example) throws IOException {
        LoadedPolicy loaded = PolicyLoader.loadDirectory(example);
        assertThat(loaded.hasErrors()).as(loaded.errors().toString()).isFalse();
        PolicyModel model = loaded.model();
        assertThat(model.policies()).isNotEmpty();
        assertRoundTrip(model);
    }

    @Test
    void randomModelsRoundTripInEveryObjectAndField() throws IOException {
        for (long seed = 1; seed <= 200; seed++) {
            assertRoundTrip(RandomModels.model(seed));
        }
    }

    @Test
    void theSameModelAlwaysGivesTheSameText() {
        PolicyModel model = RandomModels.model(42);
        String text = PolicyWriter.write(model);
        assertThat(PolicyWriter.write(RandomModels.model(42))).isEqualTo(text);
        // reading the text back and writing again changes nothing: the text is the model's one form
        assertThat(PolicyWriter.write(PolicyLoader.loadString("w.yaml", text).model())).isEqualTo(text);
    }

    @Test
    void writesInTheStyleOfTheExamples() {
        PolicyModel seed = PolicyLoader.loadDirectory(Path.of("..", "examples", "seed-lab")).model();
        String text = PolicyWriter.write(seed);
        assertThat(text).startsWith("""
                domains:
                  - name: andreas-lab-domain
                    devices: [andreasm-720xp-home]
                    vrfs: [ALL]

                devices:
                  - name: andreasm-720xp-home
                    platform: eos
                    role: switch
                    model: CCS-720XP-48ZC2
                    loopback: 10.255.1.10
                """);
        assertThat(text).contains("""
                  - name: wifi_clients
                    prefixes: [172.18.6.0/24]
                    categories: {role: clients, zone: campus}
                """);
        assertThat(text).contains("""
                  - name: DNS
                    protocol: udp
                    destination: domain
                """);
        assertThat(text).contains("""
                      - name: drop_all_else_web-app
                        description: Drop_all_else
                        sources: [web-appserver1]
                        direction: bi
                        action: drop
                """);
        assertThat(PolicyWriter.files(seed).keySet()).containsExactly("inventory.yaml", "objects.yaml", "policies.yaml");
    }

    @Test
    void oneObjectIsAnItemOfItsSection() {
        Group web = new Group("web", List.of(new IPAddressString("10.0.0.1/32").getAddress(),
                new IPAddressString("2001:db8::/64").getAddress()), Map.of(), AT);
        assertThat(PolicyWriter.object(web)).isEqualTo("- name: web\n  prefixes: [10.0.0.1, '2001:db8::/64']\n");
    }

    @Test
    void aNameTheLoaderWouldReadAsSomethingElseIsRefusedWithTheObjectAndField() {
        SecurityDomain split = new SecurityDomain("d", List.of(new Ref("a,b", AT)), List.of("ALL"), AT);
        assertThatThrownBy(() -> PolicyWriter.object(split)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("domains 'd'").hasMessageContaining("devices").hasMessageContaining("'a,b'");
    }

    /** The model read back from its one-file text, and from its directory of files, is the model. */
    private void assertRoundTrip(PolicyModel model) throws IOException {
        String text = PolicyWriter.write(model);
        PolicyModel fromText = PolicyLoader.loadString("written.yaml", text).model();
        assertThat(Unlocated.of(fromText)).as(text).isEqualTo(Unlocated.of(model));

        Path dir = Files.createTempDirectory(tmp, "written");
        for (var file : PolicyWriter.files(model).entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        PolicyModel fromFiles = PolicyLoader.loadDirectory(dir).model();
        assertThat(Unlocated.of(fromFiles)).as(text).isEqualTo(Unlocated.of(model));
    }
}
