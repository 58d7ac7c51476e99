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
}
