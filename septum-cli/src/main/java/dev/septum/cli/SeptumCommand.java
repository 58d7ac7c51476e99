package dev.septum.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "septum", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Septum: one segmentation policy for Arista EOS switches and Linux hosts.",
            "",
            "Describe groups, services and ordered rules in YAML, check them, and compile them",
            "into each device's config (EOS traffic-policies as Arista MSS renders them)."},
        subcommands = {ValidateCommand.class, IdsCommand.class, CompileCommand.class, TraceCommand.class, CheckCommand.class, DiffCommand.class, ReachCommand.class,
            LabCommand.class, CollectCommand.class, SessionsCommand.class, RecommendCommand.class, ServeCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 the policy has errors, 2 usage error, 3 output not writable.",
            "Example: septum compile examples/seed-lab --device andreasm-720xp-home"})
final class SeptumCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command, e.g. 'septum compile <dir>'");
    }
}
