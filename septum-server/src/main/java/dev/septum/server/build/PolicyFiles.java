package dev.septum.server.build;

import dev.septum.model.SourceLocation;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import dev.septum.model.validate.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A policy directory held as text (a stored version or a workspace), loaded with the same loader
 * as {@code septum validate DIR}: the files are written to a private temporary directory, so the
 * server and the CLI can never disagree on what a directory means. Diagnostics name the file as
 * the user knows it ({@code policies.yaml:12:9}), not the temporary path.
 */
public final class PolicyFiles {
    /** What a stored file may be called: a plain YAML file name, no directories. */
    public static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\\.ya?ml");

    private PolicyFiles() {
    }

    public static LoadedPolicy load(Map<String, String> files) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("septum-policy-");
            for (var file : files.entrySet()) {
                if (!FILE_NAME.matcher(file.getKey()).matches()) {
                    throw new IllegalArgumentException("not a policy file name: " + file.getKey());
                }
                Files.writeString(dir.resolve(file.getKey()), file.getValue());
            }
            LoadedPolicy loaded = PolicyLoader.loadDirectory(dir);
            String prefix = dir + java.io.File.separator;
            String dirName = dir.toString();
            return new LoadedPolicy(loaded.model(), loaded.diagnostics().stream().map(d -> relative(d, prefix, dirName)).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the policy files in a temporary directory: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static Diagnostic relative(Diagnostic d, String prefix, String dir) {
        String source = d.at().source();
        String shown = source.startsWith(prefix) ? source.substring(prefix.length()) : source.equals(dir) ? "(workspace)" : source;
        return new Diagnostic(d.severity(), new SourceLocation(shown, d.at().line(), d.at().column()), d.object(), d.field(),
                d.problem(), d.fix().replace(prefix, "").replace(dir, "(workspace)"));
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
