package dev.septum.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The top of the command tree; its commands are added by {@link Subcommands}. */
final class SeptumCommand implements Runnable {
    private CommandSpec spec;

    static CommandSpec spec() {
        SeptumCommand c = new SeptumCommand();
        c.spec = CommandModel.command("septum", c,
                new String[] {"Septum: one segmentation policy for Arista EOS switches and Linux hosts.",
                    "",
                    "Describe groups, services and ordered rules in YAML, check them, and compile them into each device's "
                        + "config (EOS traffic-policies as Arista MSS renders them, nftables rulesets for Linux)."},
                "", "Example:", "  septum compile examples/seed-lab --device andreasm-720xp-home",
                "", "Exit codes (every command; its own help says which it uses):",
                "  0   ok",
                "  1   the policy has errors, a check found errors, or probes did not match",
                "  2   usage error (unknown option, device, VRF or directory)",
                "  3   output could not be written, a port bound or a store opened",
                "  4   the lab could not be built or the server could not start",
                "  70  internal error (a bug: please report it with the command you ran)");
        return c.spec.versionProvider(new Version());
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command, e.g. 'septum compile <dir>'");
    }
}
