package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.deploy.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A staged drop rule in real namespaces with real nftables and real traffic: the laptop's HTTP to
 * the web servers, which the staged rule matches, still gets through (the router forwards it by
 * {@code clients_to_webservers} below), and the staged rule's own counter counts it.
 */
class StagedLabTest {
    private static final String PREFIX = "sxs" + ProcessHandle.current().pid() + "-";
    private static final String HEAD = "      - name: clients_to_webservers\n";

    @AfterAll
    static void nothingIsLeftBehind() {
        Topology.removeLeftovers(PREFIX);
    }

    @Test
    void stagedDropCountsTheTrafficItMatchesAndBlocksNothing(@TempDir Path dir) throws IOException {
        seedLabWithOneScenario(dir);
        Path policies = dir.resolve("policies.yaml");
        String yaml = Files.readString(policies);
        assertThat(yaml).contains(HEAD);
        Files.writeString(policies, yaml.replace(HEAD, """
                      - name: laptop_http_staged
                        sources: [wifi_clients]
                        destinations: [web01_web02]
                        services: [HTTP]
                        action: drop
                        mode: staged
                """ + HEAD));
        Lab lab = Lab.open(dir, PREFIX, System.out::println);
        assertThat(lab.routerConfig()).contains("counter name c_laptop_http_staged comment \"staged\"");

        LabResult result = lab.run();

        assertThat(result.rows()).as("the laptop's HTTP to web01 and web02").hasSize(2)
                .allSatisfy(r -> assertThat(r.observed()).isEqualTo("allowed"));
        assertThat(result.mismatches()).as("probes whose observed verdict differs from the prediction").isEmpty();
        assertThat(result.counters()).filteredOn(c -> c.enforcer().equals("router")).singleElement()
                .satisfies(c -> assertThat(c.readings()).filteredOn(r -> r.match().equals("laptop_http_staged"))
                        .singleElement().satisfies(r -> assertThat(r.packets())
                                .as("one new connection per probe meets the staged rule before conntrack takes over")
                                .isGreaterThanOrEqualTo(2)));
        assertThat(Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "list")).stdout().lines()
                .filter(l -> l.startsWith(PREFIX))).as("the run tears its namespaces down").isEmpty();
    }

    /** The seed lab with only the probes the staged rule matches, in the router-only scenario. */
    private static void seedLabWithOneScenario(Path dir) throws IOException {
        try (var files = Files.list(Path.of("..", "examples", "seed-lab"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path labFile = dir.resolve("lab.yaml");
        String lab = Files.readString(labFile);
        assertThat(lab).contains("\nprobes:\n");
        Files.writeString(labFile, lab.substring(0, lab.indexOf("\nprobes:\n")) + """

                probes:
                  - {from: laptop, to: web01, probe: http, expect: allow}
                  - {from: laptop, to: web02, probe: http, expect: allow}
                scenarios:
                  - name: router-only
                    description: the router enforces, the staged rule only counts
                """);
    }
}
