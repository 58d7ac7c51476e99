package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code septum check CHANGED --against BASE}: the CI gate on changes to the seed. */
class GateCliTest {
    private static final String SEED = "../examples/seed-lab";
    private static final String MGMT_GROUP = "  - name: linuxmgmt10\n    prefixes: [10.100.5.10]\n";
    private static final String MGMT_RULE = "      - name: mgmt-ssh\n        sources: [linuxmgmt10]\n        destinations: [appserver1]\n"
            + "        services: [SSH]\n        action: forward\n";

    @TempDir
    Path tmp;

    private Path changed(String name, UnaryOperator<String> objects, UnaryOperator<String> policies) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.copy(Path.of(SEED, "inventory.yaml"), dir.resolve("inventory.yaml"));
        Files.writeString(dir.resolve("objects.yaml"), objects.apply(Files.readString(Path.of(SEED, "objects.yaml"))));
        Files.writeString(dir.resolve("policies.yaml"), policies.apply(Files.readString(Path.of(SEED, "policies.yaml"))));
        return dir;
    }

    private static String before(String policies, String rule, String text) {
        return policies.replaceFirst("(?m)^      - name: " + rule + "\n", java.util.regex.Matcher.quoteReplacement(text) + "      - name: " + rule + "\n");
    }

    @Test
    void newlyAllowedTrafficMustBeDeclared() throws Exception {
        Path mgmt = changed("mgmt", o -> o.replaceFirst("(?m)^groups:\n", "groups:\n" + MGMT_GROUP),
                p -> before(p, "drop_all_else_web-app", MGMT_RULE));

        CliRun undeclared = CliRun.of("check", mgmt.toString(), "--against", SEED, "--min-level", "error");
        CliRun declared = CliRun.of("check", mgmt.toString(), "--against", SEED, "--newly-allowed-budget", "1", "-o", "json");

        assertThat(undeclared.code()).isEqualTo(1);
        assertThat(undeclared.out()).contains("over-budget").contains("more than the 0 it declares")
                .contains("linuxmgmt10 -> appserver1, SSH").contains("gate failed: over-budget");
        assertThat(declared.code()).as(declared.out()).isZero();
        assertThat(declared.out()).contains("\"kind\" : \"gate\"").contains("gate passed").contains("\"name\" : \"changes\"");
    }

    @Test
    void aRuleTheChangeShadowsFailsTheGate() throws Exception {
        Path shadowing = changed("shadowing", o -> o, p -> p + "      - name: too-late\n        sources: [web01_web02]\n"
                + "        destinations: [appserver1]\n        services: [SSH]\n        action: forward\n");

        CliRun run = CliRun.of("check", shadowing.toString(), "--against", SEED, "--newly-allowed-budget", "5");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("new-shadowed").contains("too-late").contains("gate failed: new-shadowed");
    }

    @Test
    void breakingAStoredSessionFailsTheGate() throws Exception {
        Path data = StoredSessions.store(tmp, List.of(StoredSessions.row(6, "172.18.6.138", 50000, "10.100.99.51", 22,
                System.currentTimeMillis() - 60_000)));
        Path noSsh = changed("no-ssh", o -> o, p -> p.replaceFirst("(?s)      - name: ssh_to_web-app_servers\n.*?action: forward\n", ""));

        CliRun run = CliRun.of("check", noSsh.toString(), "--against", SEED, "--sessions", data.toString(), "--since", "1h");
        CliRun orphan = CliRun.of("check", noSsh.toString(), "--sessions", data.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("breaks-observed").contains("1 of 1 observed sessions change verdict")
                .contains("172.18.6.138:50000 -> 10.100.99.51:22 tcp");
        assertThat(orphan.code()).isEqualTo(2);
        assertThat(orphan.err()).contains("need --against BASE_DIR");
    }
}
