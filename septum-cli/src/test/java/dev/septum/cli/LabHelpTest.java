package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.lab.LabTools;
import org.junit.jupiter.api.Test;

/** {@code septum lab --help} names every program the lab runs, and the package that brings it. */
class LabHelpTest {
    @Test
    void labHelpListsEveryProgramItNeeds() {
        CliRun help = CliRun.of("lab", "--help");
        assertThat(help.code()).isZero();
        String text = help.out().replaceAll("\\s+", " ");
        for (LabTools.Tool t : LabTools.REQUIRED) {
            assertThat(text).contains(t.program()).contains("(" + t.debianPackage() + ")");
        }
        assertThat(text).contains("a missing one stops the lab (exit 4) before anything is built or probed");
    }
}
