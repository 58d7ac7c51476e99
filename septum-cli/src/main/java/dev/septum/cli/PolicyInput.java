package dev.septum.cli;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
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
        return PolicyBuild.of(PolicySource.directory(directory), SourceResolver.forDirectory(directory));
    }
}
