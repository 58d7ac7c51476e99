package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.session.SessionRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code septum stale} on the seed with sessions that use every rule but NTP and HTTP to the web
 * servers: those two are stale, and the proposal without them validates and breaks no stored session.
 */
class StaleCliTest {
    private static final String SEED = "../examples/seed-lab";

    @TempDir
    Path tmp;

    private Path store() throws Exception {
        return StoredSessions.store(tmp, rows());
    }

    private static List<SessionRow> rows() {
        long t = System.currentTimeMillis() - 60_000;
        return List.of(
                StoredSessions.row(6, "172.18.6.138", 50000, "10.100.99.51", 22, t),
                StoredSessions.row(17, "10.100.99.51", 50001, "10.100.1.7", 53, t),
                StoredSessions.row(6, "10.100.99.51", 50002, "10.100.99.50", 4567, t),
                StoredSessions.row(6, "10.100.99.51", 50003, "10.100.99.52", 80, t),
                StoredSessions.row(6, "10.100.5.10", 50004, "10.100.99.50", 22, t));
    }

    /** The same sessions in the central store (PostgreSQL) tell the same: --sessions takes its JDBC URL. */
    @Test
    void theCentralStoreTellsTheSameAsTheNodesOwnStore() throws Exception {
        List<SessionRow> rows = rows();
        try (TestCentralStore central = TestCentralStore.with(rows)) {
            CliRun local = CliRun.of("stale", SEED, "--sessions", StoredSessions.store(tmp, rows).toString(), "--since", "1h");
            CliRun fromCentral = CliRun.of("stale", SEED, "--sessions", central.url(), "--since", "1h");
            assertThat(fromCentral.code()).as(fromCentral.err()).isZero();
            assertThat(fromCentral.out()).containsPattern("allow_all_NTP\\s+forward\\s+stale\\s+0").isEqualTo(local.out());
            CliRun notPostgres = CliRun.of("stale", SEED, "--sessions", "jdbc:mysql://db/flows?password=secret");
            assertThat(notPostgres.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(notPostgres.err()).contains("--sessions jdbc:mysql://db/flows is not a PostgreSQL JDBC URL").doesNotContain("secret");
        }
    }

    @Test
    void unusedRulesAreStaleAndTheirRemovalBreaksNoStoredSession() throws Exception {
        Path data = store();
        Path proposal = tmp.resolve("proposal");

        CliRun stale = CliRun.of("stale", SEED, "--sessions", data.toString(), "--since", "1h", "--propose", proposal.toString());
        CliRun validate = CliRun.of("validate", proposal.toString());
        CliRun diff = CliRun.of("diff", SEED, proposal.toString(), "--no-config", "--sessions", data.toString());

        assertThat(stale.code()).as(stale.err()).isZero();
        assertThat(stale.out()).containsPattern("allow_all_NTP\\s+forward\\s+stale\\s+0")
                .containsPattern("clients_to_webservers\\s+forward\\s+stale\\s+0")
                .containsPattern("drop_all_else_web-app\\s+drop\\s+used\\s+1")
                .contains("changes the verdict of no observed session");
        assertThat(stale.err()).contains("wrote the policy without vrf_all_home/allow_all_NTP, vrf_all_home/clients_to_webservers");
        assertThat(validate.code()).as(validate.out() + validate.err()).isZero();
        assertThat(Files.readString(proposal.resolve("policies.yaml"))).doesNotContain("allow_all_NTP").contains("allow_all_DNS");
        assertThat(diff.out()).contains("newly").contains("no observed session changes verdict");
    }
}
