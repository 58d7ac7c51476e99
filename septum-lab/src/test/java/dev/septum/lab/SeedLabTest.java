package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.deploy.Commands;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's lab with real namespaces, real nftables and real traffic: every probe of the seed's
 * matrix in every scenario must show what the scenario predicts, the same-bridge surprise must
 * show (the policy bypassed without isolation) and be fixed both ways. How long it takes is
 * measured by bench/lab/seed-lab.sh, not asserted here.
 */
class SeedLabTest {
    private static final String PREFIX = "sxt" + ProcessHandle.current().pid() + "-";
    private static final Path SEED_LAB = Path.of("..", "examples", "seed-lab");

    @AfterAll
    static void nothingIsLeftBehind() {
        Topology.removeLeftovers(PREFIX);
    }

    @Test
    void seedLabReplaysTheSeedsTestMatrixInEveryScenario() {
        Lab lab = Lab.open(SEED_LAB, PREFIX, System.out::println);

        LabResult result = lab.run();
        LabReport.print(new PrintWriter(System.out, true), lab.spec(), result);

        assertThat(result.mismatches()).as("probes whose observed verdict differs from the prediction").isEmpty();
        assertThat(result.rows()).hasSize(lab.spec().probes().size() * 3);
        assertThat(result.rows()).as("without isolation web01 and web02 reach each other despite the policy")
                .filteredOn(r -> r.scenario().equals("router-only") && r.gap())
                .hasSize(4).allSatisfy(r -> assertThat(r.observed()).isEqualTo("allowed"));
        assertThat(result.rows()).as("both fixes drop web01 <-> web02")
                .filteredOn(r -> !r.scenario().equals("router-only") && r.probe().from().startsWith("web0")
                        && r.probe().to().startsWith("web0"))
                .hasSize(8).allSatisfy(r -> assertThat(r.observed()).isEqualTo("dropped"));
        assertThat(result.counters()).as("the router's counter of the rule that drops HTTP between the web servers")
                .filteredOn(c -> c.scenario().equals("port-isolation") && c.enforcer().equals("router"))
                .singleElement().satisfies(c -> assertThat(c.readings())
                        .filteredOn(r -> r.match().equals("drop_http_between_webservers")).singleElement()
                        .satisfies(r -> assertThat(r.packets()).as("hairpinned web01 <-> web02 HTTP").isPositive()));
        assertThat(namespacesWithPrefix()).as("the run tears its namespaces down").isEmpty();
    }

    private static List<String> namespacesWithPrefix() {
        return Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "list")).stdout().lines()
                .filter(l -> l.startsWith(PREFIX)).toList();
    }
}
