package dev.septum.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicySource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same policy renders the same bytes whatever order its files are read in and in whatever
 * JVM renders it: identity hash codes, map iteration and file order must not leak into a config,
 * or an untouched switch shows a change.
 */
class DeterminismTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @ParameterizedTest
    @ValueSource(strings = {"seed-lab", "seed-lab-dns-ntp"})
    void everyOrderOfTheFilesRendersTheSameConfigs(String example) {
        Map<String, String> files = RenderExample.policyFiles(EXAMPLES.resolve(example));
        String expected = RenderExample.render(PolicySource.files(example, files));
        List<List<String>> orders = permutations(new ArrayList<>(files.keySet()));
        assertThat(orders).as("the example has several files to order").hasSizeGreaterThan(1);

        for (List<String> order : orders) {
            assertThat(RenderExample.render(PolicySource.files(example, RenderExample.inOrder(files, order))))
                    .as("files read in the order " + order).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-lab", "seed-lab-dns-ntp"})
    void anotherJvmRendersTheSameBytes(String example) throws IOException, InterruptedException {
        String here = RenderExample.render(PolicySource.files(example,
                RenderExample.policyFiles(EXAMPLES.resolve(example))));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // surefire may hide the real class path behind a manifest jar; it publishes the real one here
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java.toString(), "-cp", classPath, RenderExample.class.getName(),
                EXAMPLES.resolve(example).toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String there = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the second JVM exits").isTrue();

        assertThat(p.exitValue()).isZero();
        assertThat(there).isNotEmpty().isEqualTo(here);
    }

    private static List<List<String>> permutations(List<String> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<String>> out = new ArrayList<>();
        for (String first : items) {
            List<String> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<String> tail : permutations(rest)) {
                List<String> order = new ArrayList<>();
                order.add(first);
                order.addAll(tail);
                out.add(order);
            }
        }
        return out;
    }
}
