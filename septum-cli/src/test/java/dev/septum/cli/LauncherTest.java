package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/septum} itself, on the packaged jar and the AOT cache the build trains beside it (runs
 * in the package phase, after both exist): the cache is used, a cache the JVM refuses leaves a
 * command's output untouched, and the launcher starts exactly one JVM.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = ROOT.resolve("bin/septum");
    private static final Path JAR = ROOT.resolve("septum-cli/target/septum.jar");
    private static final Path CLI_JAR = ROOT.resolve("septum-cli/target/septum-cli.jar");
    private static final Path CACHE = ROOT.resolve("septum-cli/target/septum.aot");
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static String seedLab;
    private static String expected;

    @BeforeAll
    static void expectedOutput() {
        assertThat(JAR).as("the packaged jar").isRegularFile();
        seedLab = ROOT.resolve("examples/seed-lab").toString();
        CliRun run = CliRun.of("compile", seedLab);
        assertThat(run.code()).isZero();
        expected = run.out();
    }

    @Test
    void theBuildsCacheIsUsedAndTheOutputIsTheCommands(@TempDir Path tmp) throws Exception {
        assertThat(CACHE).as("the AOT cache the build trains").isRegularFile();
        Path classLog = tmp.resolve("classes.log");
        ProcessRun r = ProcessRun.of(LAUNCHER, Map.of("JAVA_HOME", JAVA_HOME.toString(),
                "SEPTUM_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "compile", seedLab);
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(expected);
        assertThat(Files.readString(classLog)).containsPattern("dev\\.septum\\.cli\\.Main source: shared objects file");
    }

    @Test
    void aCacheTheJvmRefusesPrintsNothing(@TempDir Path tmp) throws Exception {
        Path launcher = copyOfTheLauncher(tmp);
        Path cache = tmp.resolve("septum-cli/target/septum.aot");
        // trained without --enable-native-access: the JVM refuses it when bin/septum passes the flag
        ProcessRun training = ProcessRun.of(JAVA_HOME.resolve("bin/java"), Map.of(), "-XX:AOTCacheOutput=" + cache,
                "-jar", tmp.resolve("septum-cli/target/septum-cli.jar").toString(), "--version");
        assertThat(training.code()).isZero();
        assertThat(cache).isRegularFile();
        assertThat(ProcessRun.of(launcher, Map.of("JAVA_HOME", JAVA_HOME.toString()), "compile", seedLab))
                .isEqualTo(new ProcessRun(0, expected, ""));
        // and bytes that are no cache at all
        Files.write(cache, "not an AOT cache".getBytes(StandardCharsets.UTF_8));
        assertThat(ProcessRun.of(launcher, Map.of("JAVA_HOME", JAVA_HOME.toString()), "compile", seedLab))
                .isEqualTo(new ProcessRun(0, expected, ""));
    }

    @Test
    void theLauncherStartsOneJvm(@TempDir Path tmp) throws Exception {
        // a JDK whose java records every start, then runs the real one
        Path jdk = tmp.resolve("jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Files.copy(JAVA_HOME.resolve("release"), jdk.resolve("release"));
        Path starts = tmp.resolve("starts");
        Path java = jdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho start >> '" + starts + "'\nexec '" + JAVA_HOME.resolve("bin/java") + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessRun r = ProcessRun.of(LAUNCHER, Map.of("JAVA_HOME", jdk.toString()), "--version");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(Files.readAllLines(starts)).hasSize(1);
    }

    @Test
    void aCommandThatEndsRunsOnTheSerialCollectorUnlessTheOptionsChooseOne(@TempDir Path tmp) throws Exception {
        Path serial = tmp.resolve("serial.log");
        ProcessRun r = ProcessRun.of(LAUNCHER, Map.of("JAVA_HOME", JAVA_HOME.toString(), "SEPTUM_JAVA_OPTS", "-Xlog:gc:file=" + serial),
                "compile", seedLab);
        assertThat(r).isEqualTo(new ProcessRun(0, expected, ""));
        assertThat(Files.readString(serial)).contains("Using Serial");
        // two collectors would stop the JVM: the one in SEPTUM_JAVA_OPTS is the only one
        Path chosen = tmp.resolve("chosen.log");
        r = ProcessRun.of(LAUNCHER, Map.of("JAVA_HOME", JAVA_HOME.toString(), "SEPTUM_JAVA_OPTS",
                "-XX:+UseParallelGC -Xlog:gc:file=" + chosen), "compile", seedLab);
        assertThat(r).isEqualTo(new ProcessRun(0, expected, ""));
        assertThat(Files.readString(chosen)).contains("Using Parallel");
    }

    @Test
    void compileAndCheckRunOnC1AloneAndTraceKeepsBothCompilers(@TempDir Path tmp) throws Exception {
        for (String command : List.of("compile", "check")) {
            Path args = tmp.resolve(command + ".log");
            ProcessRun r = ProcessRun.of(LAUNCHER, Map.of("JAVA_HOME", JAVA_HOME.toString(), "SEPTUM_JAVA_OPTS",
                    "-Xlog:arguments:file=" + args), command, seedLab);
            assertThat(r.code()).as(command + ": " + r.err()).isZero();
            assertThat(Files.readString(args)).as(command).contains("-XX:TieredStopAtLevel=1");
        }
        Path traceArgs = tmp.resolve("trace.log");
        ProcessRun trace = ProcessRun.of(LAUNCHER, Map.of("JAVA_HOME", JAVA_HOME.toString(), "SEPTUM_JAVA_OPTS",
                "-Xlog:arguments:file=" + traceArgs), "trace", seedLab, "--src", "172.18.6.138", "--dst", "10.100.99.51",
                "--proto", "tcp", "--dport", "22");
        assertThat(trace.code()).as(trace.err()).isZero();
        assertThat(Files.readString(traceArgs)).contains("jvm_args:").doesNotContain("TieredStopAtLevel");
    }

    /** bin/septum in a directory of its own, the jars linked in, so a cache there is that copy's alone. */
    private static Path copyOfTheLauncher(Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("bin"));
        Files.createDirectories(tmp.resolve("septum-cli/target"));
        Path launcher = tmp.resolve("bin/septum");
        Files.copy(LAUNCHER, launcher);
        Files.createSymbolicLink(tmp.resolve("septum-cli/target/septum.jar"), JAR);
        Files.createSymbolicLink(tmp.resolve("septum-cli/target/septum-cli.jar"), CLI_JAR);
        return launcher;
    }
}
