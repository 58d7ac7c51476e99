package dev.septum.compile.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.validate.Severity;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A build decides at once which devices are refused; a config is rendered when first read, and
 * every reader, on any thread, gets the one text the renderer makes of the plan.
 */
class DeviceBuildTest {
    private static final String POLICY = """
            domains: [{name: dc, devices: [router, fw], vrfs: [A, B]}]
            devices:
              - {name: router, platform: nftables, tags: [bridge]}
              - {name: fw, platform: eos}
            groups: [{name: clients, prefixes: [198.51.100.0/24]}]
            policies:
              - {name: a, domain: dc, vrf: A, rules: [{name: drop-a, sources: [clients], action: drop}]}
              - {name: b, domain: dc, vrf: B, rules: [{name: drop-b, sources: [clients], action: drop}]}
            """;

    @Test
    void aRefusedDeviceIsRefusedWhenTheBuildIsMadeWithoutReadingAnyConfig() {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("t", Map.of("p.yaml", POLICY)));

        assertThat(build.device("router")).get().isInstanceOf(DeviceBuild.Refused.class);
        assertThat(build.device("fw")).get().isInstanceOf(DeviceBuild.Rendered.class);
        assertThat(build.errors()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.ERROR);
            assertThat(d.problem()).contains("a bridge table switches frames and sees no VRF");
        });
    }

    @Test
    void everyThreadReadsTheOneRenderedConfig() throws Exception {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("t", Map.of("p.yaml", POLICY)));
        DeviceBuild.Rendered fw = (DeviceBuild.Rendered) build.device("fw").orElseThrow();
        Callable<String> read = fw::config;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> reads = pool.invokeAll(List.of(read, read, read, read));
            String first = reads.getFirst().get();
            for (Future<String> r : reads) {
                assertThat(r.get()).isSameAs(first);
            }
            assertThat(first).isEqualTo(fw.profile().renderer().render(fw.plan()))
                    .contains("match drop-a", "match drop-b");
        } finally {
            pool.shutdownNow();
        }
    }
}
