package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code septum ids}: which policy numbers a directory pins, and pinning them before a new policy renumbers them. */
class IdsCommandTest {
    private static final String POLICIES = """
            # dc policies
            policies:
              - name: web
                description: web tier
                domain: dc
                rules: []
            """;

    @TempDir
    Path dir;

    private void write(String file, String text) throws IOException {
        Files.writeString(dir.resolve(file), text);
    }

    @Test
    void pinWritesTheNumbersSoAPolicyAddedBeforeThemTakesTheNextFree() throws IOException {
        write("inventory.yaml", """
                domains:
                  - {name: dc, devices: [dc-leaf], vrfs: [ALL]}
                  - {name: branch, devices: [branch-leaf], vrfs: [ALL]}
                devices:
                  - {name: dc-leaf, platform: eos}
                  - {name: branch-leaf, platform: eos}
                """);
        write("policies.yaml", POLICIES);

        CliRun listed = CliRun.of("ids", dir.toString());
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).containsPattern("web +256 +no +policies.yaml").contains("septum ids " + dir + " --pin");

        CliRun pinned = CliRun.of("ids", dir.toString(), "--pin");
        assertThat(pinned.code()).as(pinned.err()).isZero();
        assertThat(pinned.out()).containsPattern("web +256 +yes").contains("pinned 1 id(s) in policies.yaml");
        assertThat(Files.readString(dir.resolve("policies.yaml")))
                .isEqualTo(POLICIES.replace("description: web tier\n", "description: web tier\n    id: 256\n"));

        write("a-branch.yaml", POLICIES.replace("web", "branch").replace("domain: dc", "domain: branch"));
        CliRun after = CliRun.of("ids", dir.toString(), "-o", "json");
        assertThat(after.code()).as(after.err()).isZero();
        JsonNode policies = DiagnosticPrinter.JSON.readTree(after.out()).path("policies");
        assertThat(policies.get(0).path("name").asString()).isEqualTo("branch");
        assertThat(policies.get(0).path("id").asInt()).isEqualTo(257);
        assertThat(policies.get(0).path("pinned").asBoolean()).isFalse();
        assertThat(policies.get(1).path("name").asString()).isEqualTo("web");
        assertThat(policies.get(1).path("id").asInt()).isEqualTo(256);
        assertThat(policies.get(1).path("pinned").asBoolean()).isTrue();
    }

    @Test
    void aPolicyWithErrorsIsNotTouched() throws IOException {
        String broken = POLICIES.replace("domain: dc", "domain: nowhere");
        write("policies.yaml", broken);
        CliRun run = CliRun.of("ids", dir.toString(), "--pin");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("nowhere");
        assertThat(Files.readString(dir.resolve("policies.yaml"))).isEqualTo(broken);
    }
}
