package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code septum expired} on the seed with an exception that expired yesterday and one that has a
 * month left: only the first is listed with its owner and ticket, its removal's break-set is the
 * stored session that used it, and the proposal without it validates.
 */
class ExpiredCliTest {
    @TempDir
    Path tmp;

    private Path seedWithExceptions() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("policy"));
        for (String f : List.of("inventory.yaml", "objects.yaml", "policies.yaml")) {
            Files.copy(Path.of("..", "examples", "seed-lab", f), dir.resolve(f));
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String policies = Files.readString(dir.resolve("policies.yaml"));
        Files.writeString(dir.resolve("policies.yaml"), policies.replaceFirst("(?m)^      - name: drop_all_else_web-app\n",
                exception("vendor-app", "appserver1-tcp", today.minusDays(1), "CHG-77")
                        + exception("vendor-http", "HTTP", today.plusDays(30), "CHG-78") + "      - name: drop_all_else_web-app\n"));
        return dir;
    }

    private static String exception(String name, String service, LocalDate day, String ticket) {
        return "      - name: " + name + "\n        sources: [wifi_clients]\n        destinations: [appserver1]\n        services: [" + service
                + "]\n        action: forward\n        expires: " + day + "\n        owner: ops@example.com\n        ticket: " + ticket + "\n";
    }

    @Test
    void anExpiredExceptionIsListedAndItsRemovalShowsTheSessionItBreaks() throws Exception {
        Path policy = seedWithExceptions();
        long t = System.currentTimeMillis() - 60_000;
        Path data = StoredSessions.store(tmp, List.of(StoredSessions.row(6, "172.18.6.138", 50000, "10.100.99.50", 4567, t)));
        Path proposal = tmp.resolve("proposal");

        CliRun expired = CliRun.of("expired", policy.toString(), "--sessions", data.toString(), "--since", "1h",
                "--propose", proposal.toString());
        CliRun validate = CliRun.of("validate", proposal.toString());

        assertThat(expired.code()).as(expired.err()).isZero();
        assertThat(expired.out()).containsPattern("vendor-app\\s+" + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "\\s+ops@example.com\\s+CHG-77")
                .doesNotContain("vendor-http").contains("newly blocked").contains("172.18.6.138:50000 -> 10.100.99.50:4567");
        assertThat(expired.err()).contains("wrote the policy without vrf_all_home/vendor-app");
        assertThat(validate.code()).as(validate.out() + validate.err()).isZero();
        assertThat(Files.readString(proposal.resolve("policies.yaml"))).doesNotContain("vendor-app").contains("vendor-http");
    }

    @Test
    void nothingExpiredWritesNothing() throws Exception {
        CliRun expired = CliRun.of("expired", "../examples/seed-lab", "--propose", tmp.resolve("none").toString());

        assertThat(expired.code()).as(expired.err()).isZero();
        assertThat(expired.out()).contains("nothing expired");
        assertThat(expired.err()).contains("no rule expired; nothing written");
        assertThat(tmp.resolve("none")).doesNotExist();
    }
}
