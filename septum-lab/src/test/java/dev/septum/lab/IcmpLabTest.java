package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * ICMP types enforced by the kernel: real echo requests through a router namespace running
 * Septum's nftables output for a policy that allows pings by type from one group and drops them
 * from the others, while a rule on another type (time-exceeded) leaves pings alone.
 */
class IcmpLabTest {
    private static final String PREFIX = "sxi" + ProcessHandle.current().pid() + "-";
    private static final Path LAB = Path.of("src", "test", "resources", "icmp-lab");

    @AfterAll
    static void nothingIsLeftBehind() {
        Topology.removeLeftovers(PREFIX);
    }

    @Test
    void echoRequestsPassOrDropByTheirIcmpType() {
        Lab lab = Lab.open(LAB, PREFIX, System.out::println);
        assertThat(lab.routerConfig()).contains("icmp type echo-request counter name c_clients-ping-servers accept",
                "icmp type time-exceeded counter name c_servers-no-time-exceeded drop");

        LabResult result = lab.run();
        LabReport.print(new PrintWriter(System.out, true), lab.spec(), result);

        assertThat(result.mismatches()).as("probes whose observed verdict differs from the prediction").isEmpty();
        assertThat(result.rows()).extracting(LabResult.Row::observed)
                .containsExactly("allowed", "dropped", "allowed", "allowed");
        assertThat(result.counters()).singleElement().satisfies(c -> assertThat(c.readings())
                .filteredOn(r -> r.match().equals("no-other-pings-to-servers")).singleElement()
                .satisfies(r -> assertThat(r.packets()).as("the guest's echo request").isPositive()));
    }
}
