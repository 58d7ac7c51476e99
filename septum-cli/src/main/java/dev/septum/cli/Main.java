package dev.septum.cli;

import picocli.CommandLine;

/** Entry point of {@code bin/septum}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The command tree {@code args} need: only their command when they name one (see {@link Subcommands}). */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new SeptumCommand());
        Subcommands.neededFor(args).forEach(cli::addSubcommand);
        HelpLayout.apply(cli.setCaseInsensitiveEnumValuesAllowed(true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof SessionStoreOptions.Unreadable unreadable) {
                line.getErr().println("septum " + line.getCommandName() + ": " + unreadable.getMessage());
                return ExitCodes.IO;
            }
            line.getErr().println("septum: internal error: " + e + " (please report it with the command you ran)");
            return ExitCodes.INTERNAL;
        });
        return cli;
    }
}
