package dev.septum.server.build;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.model.load.LoadedPolicy;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A policy directory held as text (a stored version or a workspace), read with the same loader
 * and built by the same pipeline as {@code septum validate DIR}, straight from memory. Diagnostics
 * name the file as the user knows it ({@code policies.yaml:12:9}).
 */
public final class PolicyFiles {
    /** What a stored file may be called: a plain YAML file name, no directories. */
    public static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\\.ya?ml");
    private static final String LABEL = "(workspace)";

    private PolicyFiles() {
    }

    /** The one build of these files: model, plans, configs, refusals. */
    public static PolicyBuild build(Map<String, String> files) {
        return build(files, GroupResolver.STATIC);
    }

    public static PolicyBuild build(Map<String, String> files, GroupResolver resolver) {
        return PolicyBuild.of(source(files), resolver);
    }

    /** Only the loaded and validated model, for a write that must not store a policy with errors. */
    public static LoadedPolicy load(Map<String, String> files) {
        return source(files).load();
    }

    private static PolicySource source(Map<String, String> files) {
        files.keySet().forEach(name -> {
            if (!FILE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a policy file name: " + name);
            }
        });
        return PolicySource.files(LABEL, files);
    }
}
