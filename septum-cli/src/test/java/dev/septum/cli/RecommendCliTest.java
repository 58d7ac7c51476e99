package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.FlowStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code septum recommend} on the seed's DNS/NTP stage: a real store, the two rules, files that validate and compile. */
class RecommendCliTest {
    @TempDir
    Path tmp;

    private Path monitorStage() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("policy"));
        Path seed = Path.of("..", "examples", "seed-lab-dns-ntp");
        Files.copy(seed.resolve("inventory.yaml"), dir.resolve("inventory.yaml"));
        Files.copy(seed.resolve("objects.yaml"), dir.resolve("objects.yaml"));
        Files.copy(seed.resolve("monitor-stage").resolve("policies.yaml"), dir.resolve("policies.yaml"));
        return dir;
    }

    private static List<SessionRow> rows() {
        List<SessionRow> rows = new ArrayList<>();
        long t = 1_700_000_000_000L;
        for (int c = 30; c < 40; c++) {
            for (int port : new int[] {53, 123}) {
                rows.add(new SessionRow(0, 17, new Endpoint(IpAddr.parse("172.18.6." + c), 45000 + c),
                        new Endpoint(IpAddr.parse(c % 2 == 0 ? "10.100.1.6" : "10.100.1.7"), port), 1, 70, 0, 1, 130, 0,
                        SessionState.COMPLETE, t, t + 5, DirectionEvidence.PORTS, 2, EndReason.IDLE_TIMEOUT));
                t += 1000;
            }
        }
        return rows;
    }

    private Path store() throws Exception {
        List<SessionRow> rows = rows();
        Path data = tmp.resolve("data");
        FlowStore store = new FlowStore(data);
        store.initialise();
        store.write(rows, List.of(), rows.getLast().firstMillis() + 1000, 0);
        return data;
    }

    /**
     * The same sessions in the central store (PostgreSQL, as flows-ingest writes them) give the same
     * proposal as the node's DuckDB file: {@code --store} reads them through the same SessionSource.
     */
    @Test
    void theCentralStoreGivesTheSameProposalAsTheNodesOwnStore() throws Exception {
        try (TestCentralStore central = TestCentralStore.with(rows())) {
            Path policy = monitorStage();
            String[] asked = {"--policy", policy.toString(), "--monitor", "andreas-vztx", "--categories", "zone,role",
                "--into", "dns_ntp_services", "-o", "json"};
            CliRun local = CliRun.of(Stream.concat(Stream.of("recommend", "--data-dir", store().toString()), Stream.of(asked))
                    .toArray(String[]::new));
            CliRun fromCentral = CliRun.of(Stream.concat(Stream.of("recommend", "--store", central.url()), Stream.of(asked))
                    .toArray(String[]::new));
            assertThat(fromCentral.code()).as(fromCentral.err()).isZero();
            assertThat(local.code()).as(local.err()).isZero();
            assertThat(DiagnosticPrinter.JSON.readTree(fromCentral.out()).get("totals").get("evidence").asLong()).isEqualTo(20);
            assertThat(fromCentral.out()).isEqualTo(local.out());

            CliRun both = CliRun.of("recommend", "--store", central.url(), "--data-dir", "somewhere", "--policy", policy.toString());
            assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(both.err()).contains("septum recommend: --store reads the central store; it cannot go with --data-dir");
        }
    }

    @Test
    void theSeedsMonitoredSessionsBecomeTwoRulesWhoseFilesValidateAndCompile() throws Exception {
        Path policy = monitorStage();
        Path out = tmp.resolve("proposal");
        CliRun run = CliRun.of("recommend", "--data-dir", store().toString(), "--policy", policy.toString(), "--monitor", "andreas-vztx",
                "--categories", "zone,role", "--into", "dns_ntp_services", "--out", out.toString(), "-o", "json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode doc = DiagnosticPrinter.JSON.readTree(run.out());
        assertThat(doc.get("rules")).hasSize(2);
        assertThat(doc.get("rules").findValuesAsString("name")).allSatisfy(n -> assertThat(n).startsWith("wifi_clients-to-DNS_NTP_servers-"));
        assertThat(doc.get("rules").get(0).get("flows")).isNotEmpty();
        assertThat(doc.get("totals").get("evidence").asLong()).isEqualTo(20);
        assertThat(doc.get("guarantees").get("hold").asBoolean()).isTrue();

        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                Files.copy(f, policy.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        CliRun validate = CliRun.of("validate", policy.toString());
        assertThat(validate.code()).as(validate.out() + validate.err()).isZero();
        CliRun compile = CliRun.of("compile", policy.toString());
        assertThat(compile.code()).as(compile.err()).isZero();
        assertThat(compile.out()).contains("match wifi_clients-to-DNS_NTP_servers-DNS ipv4");
    }

    @Test
    void anUnknownMonitorIsAUsageErrorNamingTheMonitors() throws Exception {
        CliRun run = CliRun.of("recommend", "--data-dir", store().toString(), "--policy", monitorStage().toString(), "--monitor", "nosuch");
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("no monitor object 'nosuch'").contains("andreas-vztx");
    }
}
