package dev.septum.cli;

import dev.septum.model.load.AddressMessages;
import java.nio.file.Path;
import picocli.CommandLine;

/** Entry point of {@code bin/septum}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (Subcommands.readsPolicy(args)) {
            AddressMessages.loadInBackground();
        }
        int status = commandLine(args).execute(args);
        if (status == ExitCodes.OK && Subcommands.startsNoThreads(args)) {
            // Returning ends the JVM with 0 and runs its shutdown hooks as System.exit would, but
            // without exit's logging: Runtime.exit asks for a System.Logger, whose first lookup
            // searches the class path for a LoggerFinder service and so opens and reads the fat
            // jar, which the AOT cache otherwise spares a command (bench/RESULTS.md, start-up, fifth step).
            return;
        }
        System.exit(status);
    }

    /** The command tree {@code args} need: only their command when they name one (see {@link Subcommands}). */
    static CommandLine commandLine(String... args) {
        // every CommandLine makes picocli's default factory, whose class otherwise looks for
        // Groovy's closure class when it is initialised: a class-path miss, which makes the class
        // loader open and read the fat jar
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cli = new CommandLine(SeptumCommand.spec());
        Subcommands.neededFor(args).forEach(spec -> cli.addSubcommand(new CommandLine(spec)));
        // picocli's own Path converter calls Paths.get through reflection, and the JDK's first
        // reflective call makes it generate method-handle classes at run time, which the AOT
        // cache cannot keep: that cost every command naming a policy directory (bench/RESULTS.md, su5)
        cli.registerConverter(Path.class, Path::of);
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
