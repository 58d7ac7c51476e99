package dev.septum.server.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: a workspace build makes one build of the base and one of the workspace, and the
 * config diff, the semantic diff and the stored configs all come from those two (before, the
 * semantic diff planned both models again). The resolver runs once per build, and only the
 * pipeline can plan (ModuleArrowsTest), so two resolutions mean each device is planned once per side.
 */
class WorkspaceBuildTest {
    @Test
    void aWorkspaceBuildBuildsBaseAndWorkspaceOnceEach() throws IOException {
        Map<String, String> base = files(Path.of("..", "examples", "seed-lab-dns-ntp"));
        Map<String, String> workspace = files(Path.of("..", "examples", "seed-lab"));
        AtomicInteger resolutions = new AtomicInteger();
        GroupResolver counting = model -> {
            resolutions.incrementAndGet();
            return GroupResolver.STATIC.resolve(model);
        };

        WorkspaceBuild.Outcome outcome = WorkspaceBuild.run(base, workspace, counting);

        assertThat(resolutions).hasValue(2);
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.changes()).isNotEmpty();
        PolicyBuild built = outcome.workspace();
        assertThat(outcome.devices()).extracting(d -> d.config())
                .containsExactlyElementsOf(built.deviceConfigs().stream().map(PolicyBuild.DeviceConfig::config).toList());
        assertThat(outcome.devices()).anySatisfy(d -> assertThat(d.changed()).isTrue());
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return files;
    }
}
