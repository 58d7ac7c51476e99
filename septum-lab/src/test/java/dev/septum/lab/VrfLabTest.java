package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.deploy.Commands;
import dev.septum.deploy.nftables.CounterReading;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/campus-dc-lab: a campus router, its hypervisor bridge and a data center router that
 * enforces three VRFs, prod, lab and default (the main table), whose subnets carry the same
 * addresses. The data center router is one namespace per VRF (these kernels have no VRF devices),
 * each loaded with the leaf's whole ruleset; real SSH and HTTP between the same two addresses is
 * decided differently in each VRF, and each drop moves only its own VRF's counter.
 */
class VrfLabTest {
    private static final String PREFIX = "sxv" + ProcessHandle.current().pid() + "-";
    private static final Path LAB = Path.of("..", "examples", "campus-dc-lab");

    @AfterAll
    static void nothingIsLeftBehind() {
        Topology.removeLeftovers(PREFIX);
    }

    @Test
    void eachVrfsTrafficIsDecidedByThatVrfsPolicy() {
        Lab lab = Lab.open(LAB, PREFIX, System.out::println);
        assertThat(lab.routerConfig(lab.spec().routers().get(1)))
                .contains("iifname \"prod\" goto policy_prod", "iifname \"lab\" goto policy_lab", "goto policy_default");

        LabResult result = lab.run();
        LabReport.print(new PrintWriter(System.out, true), lab.spec(), result);

        assertThat(result.mismatches()).as("probes whose observed verdict differs from the prediction").isEmpty();
        assertThat(result.rows()).extracting(LabResult.Row::observed).containsExactly(
                "dropped", "allowed", "allowed", "dropped", "dropped", "dropped", "allowed", "dropped", "allowed",
                "dropped", "allowed", "allowed", "dropped", "dropped", "dropped", "allowed", "dropped", "dropped");
        assertThat(result.counters()).extracting(LabResult.ScenarioCounters::enforcer).containsExactly(
                "campus", "dc VRF prod", "dc VRF lab", "dc VRF default",
                "campus", "dc VRF prod", "dc VRF lab", "dc VRF default", "hv-campus");
        LabResult.ScenarioCounters prod = result.counters().get(1);
        LabResult.ScenarioCounters vrfLab = result.counters().get(2);
        LabResult.ScenarioCounters main = result.counters().get(3);
        assertThat(packets(prod, "prod-no-ops-ssh")).as("ops' SSH SYNs, dropped in VRF prod").isPositive();
        assertThat(packets(vrfLab, "lab-no-ops-http")).as("ops' HTTP SYNs, dropped in VRF lab").isPositive();
        assertThat(packets(main, "main-no-ops")).as("ops' SSH and HTTP SYNs, dropped in the main table's VRF").isPositive();
        assertThat(packets(prod, "lab-no-ops-http") + packets(prod, "main-no-ops")).as("other VRFs' rules in VRF prod").isZero();
        assertThat(packets(vrfLab, "prod-no-ops-ssh") + packets(vrfLab, "main-no-ops")).as("other VRFs' rules in VRF lab").isZero();
        assertThat(packets(main, "prod-no-ops-ssh") + packets(main, "lab-no-ops-http")).as("other VRFs' rules in VRF default").isZero();
    }

    private static long packets(LabResult.ScenarioCounters counters, String match) {
        return counters.readings().stream().filter(r -> r.match().equals(match)).mapToLong(CounterReading::packets).sum();
    }

    @Test
    void vrfFieldsThatDoNotFitTheRoutersVrfsAreRefusedBeforeAnythingIsBuilt(@TempDir Path dir) throws IOException {
        Files.copy(LAB.resolve("policy.yaml"), dir.resolve("policy.yaml"));
        Files.writeString(dir.resolve("lab.yaml"), Files.readString(LAB.resolve("lab.yaml"))
                .replace("router: dc, vrf: lab}", "router: dc}")
                .replace("uplink-vrf: prod", "uplink-vrf: staging")
                .replace("{name: hv-campus, device: lab-hv-campus, router: campus}", "{name: hv-campus, device: lab-hv-campus, router: dc}")
                .replace("gateway: 10.1.0.1, router: campus}", "gateway: 10.1.0.1, router: dc, vrf: prod}"));

        assertThatThrownBy(() -> Lab.open(dir, PREFIX, System.out::println)).isInstanceOf(LabSpecException.class)
                .hasMessageContaining("subnet 'lab-apps', field 'vrf': is missing: router dc enforces dc-leaf, whose VRFs are "
                        + "prod, lab, default, and each of its subnets is in one. Fix: add vrf: NAME, one of prod, lab, default")
                .hasMessageContaining("subnet 'lab-ops', field 'vrf': is missing")
                .hasMessageContaining("router 'dc', field 'uplink-vrf': router dc enforces dc-leaf, whose VRFs are prod, lab, default. "
                        + "Fix: use one of them")
                .hasMessageContaining("bridge 'hv-campus', field 'router': router dc enforces dc-leaf, whose VRFs are prod, lab, default, "
                        + "and a bridge table sees no VRF. Fix: hang the bridge off a router with one VRF");
        assertThat(Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "list")).stdout().lines()
                .filter(ns -> ns.startsWith(PREFIX))).as("nothing was built").isEmpty();
    }
}
