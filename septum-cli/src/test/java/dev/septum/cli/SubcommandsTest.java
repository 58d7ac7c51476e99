package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubcommandsTest {
    @Test
    void everyNameIsTheNameItsCommandDeclares() {
        assertThat(Main.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(Subcommands.names());
    }

    @Test
    void aCallNamingACommandBuildsThatCommandAlone() {
        assertThat(Main.commandLine("compile", "examples/seed-lab").getSubcommands().keySet()).containsExactly("compile");
    }

    @Test
    void versionBuildsNoCommandAndStillAnswers() {
        assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
        CliRun run = CliRun.of("--version");
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("septum ");
    }

    @Test
    void aMistypedCommandStillGetsTheFullListToSuggestFrom() {
        CliRun run = CliRun.of("compil", "examples/seed-lab");
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("compile");
    }
}
