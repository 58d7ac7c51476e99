package dev.septum.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.deploy.Commands;
import dev.septum.server.store.TargetStore.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rollback restores a redirect's policy routing with the tables: restored marks without their
 * {@code ip rule} would route redirected traffic past the firewall. In a namespace of this test's own.
 */
class NftablesRestoreRoutingTest {
    private static final Duration T = Duration.ofSeconds(20);
    private final String ns = "sxs-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;

    private static String config(String verdict, String nextHop) {
        return """
                table inet septum
                delete table inet septum
                table inet septum {
                    counter c_ping { comment "p/ping" }
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        meta l4proto icmp counter name c_ping VERDICT
                    }
                }
                # septum routing: ip -4 -batch
                rule add pref 29101 fwmark 0x53520100/0xffffff00 table 29101
                route replace default table 29101 nexthop via NEXT_HOP dev rt0
                route replace unreachable default metric 4294967295 table 29101
                rule add pref 29356 fwmark 0x53520000/0xffff0000 unreachable
                """.replace("VERDICT", verdict).replace("NEXT_HOP", nextHop);
    }

    private String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", ns));
        command.addAll(List.of(args));
        Commands.Result r = Commands.run(T, command);
        assertThat(r.ok()).as(String.join(" ", command) + ": " + r.failure()).isTrue();
        return r.stdout();
    }

    @BeforeEach
    void namespaceWithAPortTowardTheNextHops() {
        assertThat(Commands.run(T, List.of("ip", "netns", "add", ns)).ok()).as("ip netns add (needs root)").isTrue();
        ip("link", "add", "rt0", "type", "veth", "peer", "name", "rt0p");
        ip("link", "set", "rt0", "up");
        ip("addr", "add", "192.0.2.1/24", "dev", "rt0");
    }

    @AfterEach
    void deleteNamespace() {
        Commands.run(T, List.of("ip", "netns", "del", ns));
    }

    @Test
    void restoreBringsBackThePreviousRouting() {
        NftablesDeployer deployer = new NftablesDeployer(name -> Optional.empty());
        Target target = Target.nftables("r1", ns, "inet");
        DeployScript before = deployer.script("r1", config("accept", "192.0.2.100"));
        assertThat(deployer.deploy(target, before)).isInstanceOf(DeviceDeployer.StepOutcome.Done.class);

        DeployScript after = deployer.script("r1", config("drop", "192.0.2.200"));
        DeviceDeployer.Snapshot snapshot = deployer.snapshot(target, after);
        assertThat(deployer.deploy(target, after)).isInstanceOf(DeviceDeployer.StepOutcome.Done.class);
        assertThat(ip("route", "show", "table", "29101")).contains("via 192.0.2.200");

        assertThat(deployer.restore(target, snapshot)).isInstanceOf(DeviceDeployer.StepOutcome.Done.class);

        assertThat(ip("route", "show", "table", "29101")).contains("default via 192.0.2.100 dev rt0")
                .contains("unreachable default").doesNotContain("192.0.2.200");
        assertThat(ip("rule", "show")).contains("29101:\tfrom all fwmark 0x53520100/0xffffff00 lookup 29101")
                .contains("29356:\tfrom all fwmark 0x53520000/0xffff0000 unreachable");
        assertThat(Commands.run(T, List.of("ip", "netns", "exec", ns, "nft", "list", "table", "inet", "septum")).stdout())
                .contains("accept").doesNotContain("drop");
    }
}
