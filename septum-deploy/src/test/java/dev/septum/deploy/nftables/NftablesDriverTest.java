package dev.septum.deploy.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.deploy.Commands;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver against the real kernel: a private network namespace per test (so the host's
 * ruleset is never touched), real {@code nft}, real packets on the namespace's loopback.
 */
class NftablesDriverTest {
    private static final Duration T = Duration.ofSeconds(20);
    private final String ns = "sxd-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    private NftablesDriver driver;

    @BeforeEach
    void createNamespace() {
        assertThat(Commands.run(T, List.of("ip", "netns", "add", ns)).ok()).as("ip netns add (needs root)").isTrue();
        Commands.run(T, List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
        driver = new NftablesDriver(new NftTarget.Namespace(ns));
    }

    @AfterEach
    void deleteNamespace() {
        Commands.run(T, List.of("ip", "netns", "del", ns));
    }

    @Test
    void appliedRulesEnforceAndCountersReadBackPerRule() {
        assertThat(driver.apply(PingTable.script("accept")).applied()).isTrue();
        assertThat(PingTable.pingPasses(ns)).isTrue();

        assertThat(driver.apply(PingTable.script("drop")).applied()).isTrue();
        assertThat(PingTable.pingPasses(ns)).as("the replacement took effect").isFalse();

        assertThat(driver.counters("inet")).singleElement().satisfies(c -> {
            assertThat(c.match()).isEqualTo("ping");
            assertThat(c.comment()).isEqualTo("p/ping");
            assertThat(c.packets()).as("a replaced table starts counting from zero").isEqualTo(1);
        });
    }

    @Test
    void scriptThatFailsTheCheckLeavesThePreviousRulesetInForce() {
        driver.apply(PingTable.script("drop"));

        ApplyResult result = driver.apply(PingTable.script("drop") + "table inet septum { chain x { tcp dport 99999 accept } }\n");

        assertThat(result).isInstanceOfSatisfying(ApplyResult.Rejected.class, r -> {
            assertThat(r.stage()).isEqualTo("check");
            assertThat(r.message()).contains("99999");
        });
        assertThat(PingTable.pingPasses(ns)).as("the previous drop rule still holds").isFalse();
        assertThat(driver.listTable("inet")).contains("counter name \"c_ping\" drop").doesNotContain("chain x");
    }

    @Test
    void applyTouchesOnlySeptumsTable() {
        Commands.run(T, List.of("ip", "netns", "exec", ns, "nft", "add", "table", "inet", "theirs"));

        driver.apply(PingTable.script("accept"));
        driver.remove("inet");

        String ruleset = Commands.run(T, List.of("ip", "netns", "exec", ns, "nft", "list", "tables")).stdout();
        assertThat(ruleset).contains("table inet theirs").doesNotContain("septum");
        assertThat(driver.counters("inet")).isEmpty();
    }

    private static final String ROUTING = """
            # septum routing: ip -4 -batch
            rule add pref 29101 fwmark 0x53520100/0xffffff00 table 29101
            route replace default table 29101 nexthop via 192.0.2.100 dev rt0
            route replace unreachable default metric 4294967295 table 29101
            rule add pref 29356 fwmark 0x53520000/0xffff0000 unreachable
            """;

    private String ip(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns, "ip"));
        command.addAll(List.of(args));
        Commands.Result r = Commands.run(T, command);
        assertThat(r.ok()).as(String.join(" ", command) + ": " + r.failure()).isTrue();
        return r.stdout();
    }

    private void portTowardTheNextHop() {
        ip("link", "add", "rt0", "type", "veth", "peer", "name", "rt0p");
        ip("link", "set", "rt0", "up");
        ip("link", "set", "rt0p", "up");
        ip("addr", "add", "192.0.2.1/24", "dev", "rt0");
    }

    /** The routing sections apply with the script, replace (never duplicate) Septum's rule, and go when a config has none. */
    @Test
    void routingSectionsAreAppliedReplacedAndRemoved() {
        portTowardTheNextHop();
        ip("rule", "add", "pref", "500", "fwmark", "0x7", "table", "77");

        assertThat(driver.apply(PingTable.script("accept") + ROUTING).applied()).isTrue();
        assertThat(driver.apply(PingTable.script("drop") + ROUTING).applied()).isTrue();

        assertThat(ip("rule", "show").lines().filter(l -> l.startsWith("29101:")).toList())
                .containsExactly("29101:\tfrom all fwmark 0x53520100/0xffffff00 lookup 29101");
        assertThat(ip("route", "show", "table", "29101")).contains("default via 192.0.2.100 dev rt0")
                .contains("unreachable default metric 4294967295");
        assertThat(PingTable.pingPasses(ns)).as("the script after the routing took effect").isFalse();
        assertThat(driver.routingSections()).as("read back as the renderer writes it, for a rollback").isEqualTo(ROUTING);

        assertThat(driver.apply(PingTable.script("accept")).applied()).isTrue();

        assertThat(ip("rule", "show")).doesNotContain("29101").doesNotContain("29356").contains("500:");
        assertThat(PingTable.pingPasses(ns)).isTrue();
    }

    /** ip is not atomic; when it refuses, the previous nft ruleset stays in force and the result says why. */
    @Test
    void routingThatFailsLeavesThePreviousRulesetInForce() {
        driver.apply(PingTable.script("drop"));

        ApplyResult result = driver.apply(PingTable.script("accept") + ROUTING);

        assertThat(result).isInstanceOfSatisfying(ApplyResult.Rejected.class, r -> {
            assertThat(r.stage()).isEqualTo("routing");
            assertThat(r.message()).contains("rt0");
        });
        assertThat(PingTable.pingPasses(ns)).as("the previous drop rule still holds").isFalse();
    }

    /** Refused before any connection: 192.0.2.1 is a documentation address no SSH server answers on. */
    @Test
    void routingOverSshIsRefusedWithAFix() {
        NftablesDriver ssh = new NftablesDriver(new NftTarget.Ssh("192.0.2.1", 22, "septum",
                new NftTarget.HostKeys.Pinned("ssh-ed25519 AAAA"), new NftTarget.Auth.Password("UNUSED")));

        assertThat(ssh.apply(PingTable.script("accept") + ROUTING)).isInstanceOfSatisfying(ApplyResult.Rejected.class, r -> {
            assertThat(r.stage()).isEqualTo("routing");
            assertThat(r.message()).contains("not yet over SSH").contains("Fix:");
        });
    }
}
