package dev.septum.compile;

import dev.septum.compile.pipeline.DeviceBuild;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Renders every device of an example directory through the pipeline, devices in name order,
 * each config after a {@code ==> name} line. {@link DeterminismTest} runs it in its own JVM.
 */
final class RenderExample {
    private RenderExample() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.print(render(PolicySource.files(args[0], policyFiles(Path.of(args[0])))));
        out.flush();
    }

    static String render(PolicySource source) {
        PolicyBuild build = PolicyBuild.of(source);
        if (!build.ok()) {
            throw new IllegalStateException(source.label() + ": " + build.errors());
        }
        StringBuilder all = new StringBuilder();
        build.devices().stream().sorted(java.util.Comparator.comparing(DeviceBuild::name)).forEach(d -> {
            all.append("==> ").append(d.name()).append('\n');
            all.append(((DeviceBuild.Rendered) d).config());
        });
        return all.toString();
    }

    /** The directory's policy files (not lab.yaml), by name. */
    static Map<String, String> policyFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            Map<String, String> out = new TreeMap<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("lab.yaml")).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same files under names that sort in the given order: the loader reads them in that order. */
    static Map<String, String> inOrder(Map<String, String> files, List<String> order) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < order.size(); i++) {
            out.put(i + "-" + order.get(i), files.get(order.get(i)));
        }
        return out;
    }
}
