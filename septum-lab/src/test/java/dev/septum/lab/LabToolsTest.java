package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lab without its programs stops before anything is built, naming what to install. */
class LabToolsTest {
    @TempDir
    Path bin;

    @Test
    void aMissingProgramStopsTheLabWithThePackageToInstall() throws IOException {
        for (LabTools.Tool t : LabTools.REQUIRED) {
            if (!t.program().equals("nc") && !t.program().equals("ping")) {
                Path p = Files.createFile(bin.resolve(t.program()), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                assertThat(p).isExecutable();
            }
        }
        assertThatThrownBy(() -> LabTools.requireAll(List.of(bin.toString())))
                .isInstanceOf(LabException.class)
                .hasMessage("missing nc, ping, so no probe can be trusted; nothing was built. "
                        + "Fix: apt-get install netcat-openbsd iputils-ping");
    }

    @Test
    void thisMachineHasEveryProgramAndTheHelpNamesThemAll() {
        LabTools.requireAll();
        for (LabTools.Tool t : LabTools.REQUIRED) {
            assertThat(LabTools.SUMMARY).contains(t.program() + " ").contains("(" + t.debianPackage() + ")");
        }
    }
}
