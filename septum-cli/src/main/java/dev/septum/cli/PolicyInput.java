package dev.septum.cli;

import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The policy directory argument, shared by the commands that read a policy. */
final class PolicyInput {
    @Parameters(index = "0", paramLabel = "DIR",
            description = "Directory of policy YAML files (every *.yaml except lab.yaml), e.g. examples/seed-lab")
    Path directory;

    /** A policy directory given otherwise than as the command's first argument, e.g. diff's two versions. */
    static PolicyInput of(Path directory) {
        PolicyInput input = new PolicyInput();
        input.directory = directory;
        return input;
    }

    LoadedPolicy load() {
        return PolicyLoader.loadDirectory(directory);
    }
}
