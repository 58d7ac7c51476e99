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

    @Test
    void onlyCommandsWithoutThreadsEndByReturningFromMain() {
        assertThat(Subcommands.startsNoThreads("compile", "examples/seed-lab")).isTrue();
        assertThat(Subcommands.startsNoThreads("--version")).isTrue();
        for (String threaded : new String[] {"serve", "collect", "mirror-agent", "flows-ingest", "lab", "sessions", "recommend", "resolve"}) {
            assertThat(Subcommands.startsNoThreads(threaded)).as(threaded).isFalse();
        }
    }

    @Test
    void onlyCommandsThatReadAPolicyStartReadingTheAddressLibrarysBundleEarly() {
        for (String reads : new String[] {"validate", "ids", "compile", "trace", "check", "diff", "reach"}) {
            assertThat(Subcommands.readsPolicy(reads, "examples/seed-lab")).as(reads).isTrue();
        }
        for (String other : new String[] {"--version", "--help", "serve", "collect", "sessions", "compil"}) {
            assertThat(Subcommands.readsPolicy(other)).as(other).isFalse();
        }
        assertThat(Subcommands.readsPolicy()).isFalse();
    }
}
