package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** The commands as a user runs them: exit codes, what goes to stdout and stderr, files written. */
class CliTest {
    private static final String SEED_LAB = "../examples/seed-lab";

    @TempDir
    Path tmp;

    @Test
    void compilePrintsOneDevicesConfig() throws IOException {
        Run run = run("compile", SEED_LAB, "--device", "andreasm-720xp-home");

        assertThat(run.code).isZero();
        assertThat(run.out).isEqualTo(Files.readString(Path.of(SEED_LAB, "expected", "andreasm-720xp-home.eos")));
    }

    @Test
    void compileWritesOneFilePerDevice() {
        Run run = run("compile", SEED_LAB, "--out", tmp.toString());

        assertThat(run.code).isZero();
        assertThat(tmp.resolve("andreasm-720xp-home.eos")).exists();
        assertThat(tmp.resolve("andreas-ztx1.eos")).content().contains("interface Tunnel0");
        assertThat(run.out).contains("wrote ").contains("andreas-ztx1.eos");
    }

    @Test
    void compileJsonListsEveryDevice() {
        Run run = run("compile", SEED_LAB, "--output", "json");

        JsonNode json = DiagnosticPrinter.JSON.readTree(run.out);
        assertThat(json.get("devices")).hasSize(2);
        assertThat(json.get("devices").get(0).get("config").asString()).contains("traffic-policy vrf_all_home");
    }

    @Test
    void unknownDeviceIsAUsageErrorWithASuggestion() {
        Run run = run("compile", SEED_LAB, "--device", "andreasm-720xp");

        assertThat(run.code).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err).contains("no device is named 'andreasm-720xp'").contains("did you mean 'andreasm-720xp-home'?");
    }

    @Test
    void policyErrorsStopCompileAndNameFileLineAndFix() throws IOException {
        Files.writeString(tmp.resolve("bad.yaml"), """
                groups:
                  - name: web
                    prefixes: [10.0.0.1/24]
                policies:
                  - name: p
                    domain: nowhere
                    rules:
                      - {name: r, sources: [webb], action: drop}
                """);

        Run run = run("compile", tmp.toString(), "--out", tmp.resolve("out").toString());

        assertThat(run.code).isEqualTo(ExitCodes.POLICY_ERRORS);
        assertThat(run.err)
                .contains("bad.yaml:3:16: error: group 'web', field 'prefixes': '10.0.0.1/24' has host bits set")
                .contains("no domain is named 'nowhere'")
                .contains("no group is named 'webb'. Fix: did you mean 'web'?")
                .contains("nothing compiled");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void validateReportsEveryProblemAsJsonForScripts() throws IOException {
        Files.writeString(tmp.resolve("bad.yaml"), """
                services:
                  - {name: "bad\\nname", protocol: tcp, destination: 70000}
                  - {name: ok, protocol: tcp, destination: 90-80}
                """);

        Run run = run("validate", tmp.toString(), "-o", "json");

        assertThat(run.code).isEqualTo(ExitCodes.POLICY_ERRORS);
        JsonNode json = DiagnosticPrinter.JSON.readTree(run.out);
        assertThat(json.get("errors").asInt()).isEqualTo(3);
        assertThat(json.get("diagnostics").findValuesAsString("problem"))
                .anySatisfy(p -> assertThat(p).contains("control character"))
                .anySatisfy(p -> assertThat(p).contains("outside 0-65535"))
                .anySatisfy(p -> assertThat(p).contains("runs backwards"));
    }

    @Test
    void validateOfTheSeedLabIsClean() {
        Run run = run("validate", SEED_LAB);

        assertThat(run.code).isZero();
        assertThat(run.out).isEqualTo("0 errors, 0 warnings\n");
    }

    @Test
    void missingCommandTeachesUsage() {
        Run run = run();

        assertThat(run.code).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err).contains("name a command").contains("compile").contains("validate");
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }
}
