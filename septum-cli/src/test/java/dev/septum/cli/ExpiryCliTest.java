package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code septum check} on the seed with a temporary exception: a warning ahead of its day, an error (exit 1) after it. */
class ExpiryCliTest {
    @TempDir
    Path tmp;

    private Path seedWithException(LocalDate expires) throws Exception {
        Path dir = tmp.resolve("policy-" + expires);
        Files.createDirectories(dir);
        for (String f : new String[] {"inventory.yaml", "objects.yaml", "policies.yaml"}) {
            Files.copy(Path.of("../examples/seed-lab", f), dir.resolve(f));
        }
        String policies = Files.readString(dir.resolve("policies.yaml")).replaceFirst("(?m)^      - name: drop_all_else_web-app\n",
                "      - name: vendor-ssh\n        sources: [wifi_clients]\n        destinations: [appserver1]\n        services: [SSH]\n"
                        + "        action: forward\n        expires: " + expires + "\n        owner: ops@example.com\n        ticket: CHG-77\n"
                        + "      - name: drop_all_else_web-app\n");
        Files.writeString(dir.resolve("policies.yaml"), policies);
        return dir;
    }

    @Test
    void aRuleExpiringSoonWarnsAndAnExpiredOneFailsTheCheck() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        Path inFiveDays = seedWithException(today.plusDays(5));
        CliRun soon = CliRun.of("check", inFiveDays.toString(), "-q", "--min-level", "warning");
        CliRun outside = CliRun.of("check", inFiveDays.toString(), "-q", "--expiry-warning", "3d");
        CliRun expired = CliRun.of("check", seedWithException(today.minusDays(1)).toString(), "-q", "--min-level", "warning");
        CliRun badWindow = CliRun.of("check", "../examples/seed-lab", "-q", "--expiry-warning", "two weeks");

        assertThat(soon.code()).as(soon.err()).isZero();
        assertThat(soon.out()).contains("expiring").contains("vendor-ssh").contains("expires on " + today.plusDays(5) + ", in 5 days");
        assertThat(outside.out()).doesNotContain("expiring");
        assertThat(expired.code()).isEqualTo(1);
        assertThat(expired.out()).contains("expired").contains("expired on " + today.minusDays(1) + " (owner ops@example.com, ticket CHG-77)");
        assertThat(badWindow.code()).isEqualTo(2);
        assertThat(badWindow.err()).contains("--expiry-warning 'two weeks' is not a number of days");
    }
}
