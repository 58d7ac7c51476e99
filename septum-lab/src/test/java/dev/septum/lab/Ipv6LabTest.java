package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * IPv6 hosts in the lab: the router's gateways and host routes are /128s (as /32s they collided:
 * "RTNETLINK answers: File exists"), a /64 spanning two router ports works by proxy NDP, and the
 * policy is enforced on real IPv6 traffic.
 */
class Ipv6LabTest {
    private static final String PREFIX = "sx6" + ProcessHandle.current().pid() + "-";
    private static final Path LAB = Path.of("src", "test", "resources", "ipv6-lab");

    @AfterAll
    static void nothingIsLeftBehind() {
        Topology.removeLeftovers(PREFIX);
    }

    @Test
    void ipv6ProbesRunAndMatchThePolicy() {
        Lab lab = Lab.open(LAB, PREFIX, System.out::println);
        LabResult result = lab.run();
        LabReport.print(new PrintWriter(System.out, true), lab.spec(), result);
        assertThat(result.mismatches()).as("probes whose observed verdict differs from the prediction").isEmpty();
        assertThat(result.rows()).extracting(LabResult.Row::observed).containsExactly("allowed", "dropped", "allowed", "allowed");
    }
}
