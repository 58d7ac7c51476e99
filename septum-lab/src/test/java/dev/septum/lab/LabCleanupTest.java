package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.deploy.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lab that fails half-way through building still leaves no namespace behind. */
class LabCleanupTest {
    private static final String PREFIX = "sxc" + ProcessHandle.current().pid() + "-";

    @TempDir
    Path dir;

    @Test
    void failedBuildTearsDownWhatItBuilt() throws IOException {
        Files.copy(Path.of("..", "examples", "seed-lab", "inventory.yaml"), dir.resolve("inventory.yaml"));
        Files.copy(Path.of("..", "examples", "seed-lab", "objects.yaml"), dir.resolve("objects.yaml"));
        Files.copy(Path.of("..", "examples", "seed-lab", "policies.yaml"), dir.resolve("policies.yaml"));
        // two hosts with one address: the router's second /32 route to it fails after most of the lab exists
        Files.writeString(dir.resolve("lab.yaml"), """
                policy-device: andreasm-720xp-home
                router: {name: router, device: lab-router}
                subnets:
                  - {name: lan, prefix: 10.100.99.0/24, gateway: 10.100.99.1}
                hosts:
                  - {name: one, subnet: lan, address: 10.100.99.5}
                  - {name: two, subnet: lan, address: 10.100.99.5}
                """);
        Lab lab = Lab.open(dir, PREFIX, s -> { });

        assertThatThrownBy(lab::run).isInstanceOf(LabException.class).hasMessageContaining("building the lab failed")
                .hasMessageContaining("10.100.99.5/32");
        assertThat(Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "list")).stdout().lines()
                .filter(l -> l.startsWith(PREFIX)).toList()).isEmpty();
    }
}
