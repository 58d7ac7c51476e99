package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed with a staged drop rule for the laptop's SSH: its config is the seed's own, check proves
 * it enforces nothing, and {@code septum staged} names the stored session it would block.
 */
class StagedCliTest {
    @TempDir
    Path tmp;

    private Path stagedSeed() throws Exception {
        Path dir = tmp.resolve("staged");
        Files.createDirectories(dir);
        for (String f : new String[] {"inventory.yaml", "objects.yaml", "policies.yaml"}) {
            Files.copy(Path.of("../examples/seed-lab", f), dir.resolve(f));
        }
        String policies = Files.readString(dir.resolve("policies.yaml")).replaceFirst("(?m)^      - name: ssh_to_web-app_servers\n",
                "      - name: no-ssh-to-web\n        sources: [wifi_clients]\n        destinations: [web01_web02]\n"
                        + "        services: [SSH]\n        action: drop\n        mode: staged\n      - name: ssh_to_web-app_servers\n");
        Files.writeString(dir.resolve("policies.yaml"), policies);
        return dir;
    }

    private Path store() throws Exception {
        long t = System.currentTimeMillis() - 60_000;
        return StoredSessions.store(tmp, List.of(StoredSessions.row(6, "172.18.6.138", 50500, "10.100.99.51", 22, t),
                StoredSessions.row(6, "172.18.6.138", 50501, "10.100.99.50", 22, t)));
    }

    @Test
    void aStagedRuleEnforcesNothingAndReportsTheSessionItWouldBlock() throws Exception {
        Path policy = stagedSeed();

        CliRun compiled = CliRun.of("compile", policy.toString(), "--device", "andreasm-720xp-home");
        CliRun seed = CliRun.of("compile", "../examples/seed-lab", "--device", "andreasm-720xp-home");
        CliRun check = CliRun.of("check", policy.toString(), "-q");
        CliRun staged = CliRun.of("staged", policy.toString(), "--sessions", store().toString(), "--since", "1h");

        assertThat(compiled.code()).isZero();
        assertThat(compiled.out()).isEqualTo(seed.out());
        assertThat(check.out()).contains("no device enforces it (proved on 1 enforcing device(s)");
        assertThat(staged.code()).as(staged.err()).isZero();
        assertThat(staged.out()).contains("no-ssh-to-web").contains("controller, on the monitor node's sessions")
                .contains("172.18.6.138:50500 -> 10.100.99.51:22 tcp").doesNotContain("10.100.99.50:22");
    }
}
