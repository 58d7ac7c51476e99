package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code septum resolve}, and every other command reading the members the same build resolved. */
class ResolveCommandTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("basedir", "."), "..", "examples", "dynamic-groups");

    @Test
    void showsEachGroupsSourceHealthAndMembers() {
        CliRun run = CliRun.of("resolve", EXAMPLE.toString());

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("web").contains("file").contains("ok").contains("198.51.100.10/32")
                .contains("role=frontend, site=hq");
    }

    @Test
    void jsonIsTheSharedAnalysisShape() throws Exception {
        CliRun run = CliRun.of("resolve", EXAMPLE.toString(), "-o", "json");

        JsonNode tree = DiagnosticPrinter.JSON.readTree(run.out());
        assertThat(tree.path("kind").asString()).isEqualTo("resolve");
        JsonNode web = tree.at("/tables/0/rows/1");
        assertThat(web.path("group").asString()).isEqualTo("web");
        assertThat(web.path("health").asString()).isEqualTo("ok");
        assertThat(web.path("members").asLong()).isEqualTo(3);
        assertThat(tree.at("/tables/1/rows")).anySatisfy(r -> assertThat(r.path("member").asString()).isEqualTo("2001:db8:10::11/128"));
    }

    @Test
    void compileRendersTheResolvedMembersAndAnEmptyGroupMatchesNothing() {
        CliRun run = CliRun.of("compile", EXAMPLE.toString(), "--device", "router");

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("198.51.100.10").contains("198.51.100.11").doesNotContain("no-quarantined");
    }

    @Test
    void aGroupThatNeverResolvedFailsWithItsReason(@TempDir Path dir) throws Exception {
        for (Path f : Files.list(EXAMPLE).filter(Files::isRegularFile).toList()) {
            Files.copy(f, dir.resolve(f.getFileName()));
        }

        CliRun run = CliRun.of("resolve", dir.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.POLICY_ERRORS);
        assertThat(run.out()).contains("never");
        assertThat(run.err()).contains("group 'web', field 'source': has never resolved: members/web.csv does not exist in " + dir);
        assertThat(CliRun.of("compile", dir.toString()).code()).isEqualTo(ExitCodes.POLICY_ERRORS);
    }
}
