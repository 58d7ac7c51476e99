package dev.septum.cli;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.model.Group;
import dev.septum.resolve.SourceResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The policy directory argument, shared by the commands that read a policy. */
final class PolicyInput {
    Path directory;

    void addTo(CommandSpec spec) {
        spec.addPositional(CommandModel.positional(0, Path.class, d -> directory = d).paramLabel("DIR")
                .description("Directory of policy YAML files, e.g. examples/seed-lab (every .yaml and .yml file but lab.yaml)").build());
    }

    /** A policy directory given otherwise than as the command's first argument, e.g. diff's two versions. */
    static PolicyInput of(Path directory) {
        PolicyInput input = new PolicyInput();
        input.directory = directory;
        return input;
    }

    /**
     * The one build of the directory every command reads: dynamic groups' sources are asked once,
     * here, and every analysis of the command reads that snapshot. A directory that is not there is a
     * usage error (exit 2), not a policy error.
     */
    PolicyBuild build(CommandLine command) {
        if (!Files.isDirectory(directory)) {
            throw new CommandLine.ParameterException(command, "policy directory '" + directory
                    + "' does not exist or is not a directory; pass the directory holding the policy YAML files");
        }
        return PolicyBuild.of(PolicySource.directory(directory), resolver(directory));
    }

    /**
     * Outside sources are asked only for a policy with dynamic groups; for one without, the
     * resolver would answer exactly what {@link GroupResolver#STATIC} does, after loading its HTTP,
     * DNS and Jackson-read file sources (and, in the build's AOT training run, the hundreds of
     * Jackson classes their verification pulls into the cache every call maps).
     */
    private static GroupResolver resolver(Path directory) {
        return model -> model.groups().values().stream().anyMatch(Group::dynamic)
                ? SourceResolver.forDirectory(directory).resolve(model)
                : GroupResolver.STATIC.resolve(model);
    }
}
