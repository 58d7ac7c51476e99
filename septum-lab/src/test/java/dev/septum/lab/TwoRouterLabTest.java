package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two enforcing devices of two domains in one lab: each router namespace gets its own device's
 * rendered ruleset, and real traffic from the campus to the data center crosses both, dropped by
 * whichever device's rule matches; each drop shows on that router's counter only.
 */
class TwoRouterLabTest {
    private static final String PREFIX = "sxd" + ProcessHandle.current().pid() + "-";
    private static final Path LAB = Path.of("src", "test", "resources", "two-domain-lab");

    @AfterAll
    static void nothingIsLeftBehind() {
        Topology.removeLeftovers(PREFIX);
    }

    @Test
    void eachRouterEnforcesItsOwnDevicesPlan() {
        Lab lab = Lab.open(LAB, PREFIX, System.out::println);
        LabSpec.Router campus = lab.spec().routers().get(0);
        LabSpec.Router dc = lab.spec().routers().get(1);
        assertThat(lab.routerConfig(campus)).contains("c_no-ssh-to-db").doesNotContain("c_no-client-http-to-db");
        assertThat(lab.routerConfig(dc)).contains("c_no-client-http-to-db").doesNotContain("c_no-ssh-to-db");

        LabResult result = lab.run();
        LabReport.print(new PrintWriter(System.out, true), lab.spec(), result);

        assertThat(result.mismatches()).as("probes whose observed verdict differs from the prediction").isEmpty();
        assertThat(result.rows()).extracting(LabResult.Row::observed)
                .containsExactly("allowed", "dropped", "dropped", "allowed", "allowed");
        assertThat(result.counters()).extracting(LabResult.ScenarioCounters::enforcer).containsExactly("campus", "dc");
        assertThat(result.counters().get(0).readings()).filteredOn(r -> r.match().equals("no-ssh-to-db")).singleElement()
                .satisfies(r -> assertThat(r.packets()).as("the client's SYNs to the database, dropped on campus").isPositive());
        assertThat(result.counters().get(1).readings()).filteredOn(r -> r.match().equals("no-client-http-to-db")).singleElement()
                .satisfies(r -> assertThat(r.packets()).as("the client's HTTP SYNs, dropped in the data center").isPositive());
    }
}
