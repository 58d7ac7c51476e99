package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The commands as a user runs them: exit codes, what goes to stdout and stderr, files written. */
class CliTest {
    private static final String SEED_LAB = "../examples/seed-lab";

    @TempDir
    Path tmp;

    @Test
    void compilePrintsOneDevicesConfig() throws IOException {
        CliRun run = run("compile", SEED_LAB, "--device", "andreasm-720xp-home");

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo(Files.readString(Path.of(SEED_LAB, "expected", "andreasm-720xp-home.eos")));
    }

    @Test
    void compileWritesOneFilePerDevice() {
        CliRun run = run("compile", SEED_LAB, "--out-dir", tmp.toString());

        assertThat(run.code()).isZero();
        assertThat(tmp.resolve("andreasm-720xp-home.eos")).exists();
        assertThat(tmp.resolve("andreas-ztx1.eos")).content().contains("flow tracking firewall distributed");
        assertThat(run.out()).contains("wrote ").contains("andreas-ztx1.eos");
    }

    /** Scripts written before --out-dir and --platform keep working; the help shows only the new names. */
    @Test
    void compileStillReadsTheOldOptionNames() {
        CliRun run = run("compile", SEED_LAB, "--out", tmp.toString(), "-f", "eos");

        assertThat(run.code()).isZero();
        assertThat(tmp.resolve("andreasm-720xp-home.eos")).exists();
    }

    @Test
    void checkCountsInfoFindingsUnderOneWordInTextAndJson() {
        CliRun text = run("check", SEED_LAB, "--quiet");
        CliRun json = run("check", SEED_LAB, "--quiet", "--output", "json");

        assertThat(text.out().lines().toList().getLast()).matches("\\d+ errors, \\d+ warnings, \\d+ info");
        // the JSON is the shared analysis shape: its closing note counts with the same word
        assertThat(DiagnosticPrinter.JSON.readTree(json.out()).path("notes").toString()).containsPattern("\\d+ errors, \\d+ warnings, \\d+ info");
        assertThat(json.out()).doesNotContain("infos");
    }

    @Test
    void compileJsonListsEveryDevice() {
        CliRun run = run("compile", SEED_LAB, "--output", "json");

        JsonNode json = DiagnosticPrinter.JSON.readTree(run.out());
        assertThat(json.get("devices")).hasSize(2);
        assertThat(json.get("devices").get(0).get("config").asString()).contains("traffic-policy vrf_all_home");
    }

    @Test
    void unknownDeviceIsAUsageErrorWithASuggestion() {
        CliRun run = run("compile", SEED_LAB, "--device", "andreasm-720xp");

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("no device is named 'andreasm-720xp'").contains("did you mean 'andreasm-720xp-home'?");
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

        CliRun run = run("compile", tmp.toString(), "--out-dir", tmp.resolve("out").toString());

        assertThat(run.code()).isEqualTo(ExitCodes.POLICY_ERRORS);
        assertThat(run.err())
                .contains("bad.yaml:3:16: error: group 'web', field 'prefixes': '10.0.0.1/24' has host bits set")
                .contains("no domain is named 'nowhere'")
                .contains("no group is named 'webb'. Fix: did you mean 'web'?")
                .contains("septum compile: fix the errors above first");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void validateReportsEveryProblemAsJsonForScripts() throws IOException {
        Files.writeString(tmp.resolve("bad.yaml"), """
                services:
                  - {name: "bad\\nname", protocol: tcp, destination: 70000}
                  - {name: ok, protocol: tcp, destination: 90-80}
                """);

        CliRun run = run("validate", tmp.toString(), "-o", "json");

        assertThat(run.code()).isEqualTo(ExitCodes.POLICY_ERRORS);
        JsonNode json = DiagnosticPrinter.JSON.readTree(run.out());
        assertThat(json.get("errors").asInt()).isEqualTo(3);
        assertThat(json.get("diagnostics").findValuesAsString("problem"))
                .anySatisfy(p -> assertThat(p).contains("control character"))
                .anySatisfy(p -> assertThat(p).contains("outside 0-65535"))
                .anySatisfy(p -> assertThat(p).contains("runs backwards"));
    }

    @Test
    void validateOfTheSeedLabIsClean() {
        CliRun run = run("validate", SEED_LAB);

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("0 errors, 0 warnings\n");
    }

    @Test
    void missingCommandTeachesUsage() {
        CliRun run = run();

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("name a command").contains("compile").contains("validate");
    }

    @Test
    void traceNamesTheDecidingRuleAndWarnsAboutTheSharedBridge() {
        CliRun run = run("trace", SEED_LAB, "--src", "10.100.99.51", "--dst", "10.100.99.52", "--proto", "tcp", "--dport", "22");

        assertThat(run.code()).isZero();
        assertThat(run.out())
                .containsPattern("andreasm-720xp-home +stateless +vrf_all_home +ALL +drop +drop_all_else_web-app +vrf_all_home "
                        + "+drop_all_else_web-app\n")
                .contains("    earlier matches missed:\n")
                .contains("      ssh_to_web-app_servers: source 10.100.99.51 is not in wifi_clients\n")
                .contains("warning: both hosts sit on bridge proxmox-02");
    }

    @Test
    void traceJsonAndBadAddressesAreUsageErrors() {
        CliRun json = run("trace", SEED_LAB, "--src", "172.18.6.20", "--dst", "10.100.1.7", "--proto", "udp", "--dport", "53",
                "-o", "json");
        CliRun bad = run("trace", SEED_LAB, "--src", "10.0.0.300", "--dst", "10.100.1.7", "--proto", "udp", "--dport", "53");

        JsonNode traces = DiagnosticPrinter.JSON.readTree(json.out()).get("tables").get(0);
        assertThat(traces.get("name").asString()).isEqualTo("traces");
        assertThat(traces.get("rows").get(0).get("match").asString()).isEqualTo("allow_all_DNS");
        assertThat(traces.get("rows").get(0).get("verdict").asString()).isEqualTo("forward");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--src '10.0.0.300' is not a single IPv4 or IPv6 address");
    }

    @Test
    void checkReportsExposuresAndGapsAndExitsCleanWithoutErrors() {
        CliRun run = run("check", SEED_LAB, "-o", "json");

        JsonNode json = DiagnosticPrinter.JSON.readTree(run.out());
        assertThat(run.code()).isZero();
        JsonNode findings = json.get("tables").get(0).get("rows");
        assertThat(findings.findValuesAsString("level")).doesNotContain("error").contains("warning");
        assertThat(findings.findValuesAsString("kind")).contains("stateless-reverse", "enforcement-gap");
    }

    @Test
    void checkExitsNonZeroOnAShadowedRuleWithTheOppositeVerdict() throws IOException {
        Files.writeString(tmp.resolve("p.yaml"), """
                domains: [{name: d, devices: [sw], vrfs: [ALL]}]
                devices: [{name: sw, platform: eos}]
                groups: [{name: lan, prefixes: [192.0.2.0/24]}, {name: admin, prefixes: [192.0.2.10]}]
                policies:
                  - name: p
                    domain: d
                    rules:
                      - {name: block-lan, sources: [lan], action: drop}
                      - {name: allow-admin, sources: [admin], action: forward}
                """);

        CliRun run = run("check", tmp.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.POLICY_ERRORS);
        assertThat(run.out()).containsPattern("error +shadowed .* match allow-admin ipv4").contains("    because of: block-lan\n");
    }

    @Test
    void diffSummarisesTheChangeAndShowsTheConfigDiff() {
        CliRun run = run("diff", "../examples/seed-lab-dns-ntp", SEED_LAB);

        assertThat(run.code()).isZero();
        assertThat(run.out()).containsPattern("newly blocked +ipv4 +forward +drop +yes +web01_web02 -> web01_web02, HTTP\n")
                .containsPattern("newly blocked +ipv4 +forward +drop +no +web-appserver1 -> any, all services\n")
                .contains("--- a/andreasm-720xp-home")
                .contains("+      traffic-policy input vrf_all_home physical");
    }

    @Test
    void serveRefusesHalfATlsConfigurationBeforeStarting(@org.junit.jupiter.api.io.TempDir Path tmp) {
        CliRun certOnly = run("serve", "--data-dir", tmp.toString(), "--port", "0", "--tls-cert", tmp.resolve("server.crt").toString());
        assertThat(certOnly.code()).isEqualTo(2);
        assertThat(certOnly.err()).contains("--tls-cert and --tls-key go together");

        CliRun both = run("serve", "--data-dir", tmp.toString(), "--port", "0", "--tls-keystore", tmp.resolve("s.p12").toString(),
                "--tls-cert", tmp.resolve("server.crt").toString(), "--tls-key", tmp.resolve("server.key").toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("use either --tls-keystore or --tls-cert with --tls-key");

        CliRun missingFiles = run("serve", "--data-dir", tmp.toString(), "--port", "0", "--tls-cert", tmp.resolve("server.crt").toString(),
                "--tls-key", tmp.resolve("server.key").toString());
        assertThat(missingFiles.code()).as("the server cannot start without its certificate").isEqualTo(4);
        assertThat(missingFiles.err()).contains("server.crt");
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

}
