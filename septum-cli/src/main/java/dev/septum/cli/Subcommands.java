package dev.septum.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command of {@code septum}, by name, in the order the help lists them. A call that names
 * a command builds that command's model alone: building every one would cost each call time.
 */
final class Subcommands {
    private static final SequencedMap<String, Supplier<CommandSpec>> ALL = new LinkedHashMap<>();

    // Lambdas, not method references (CompileCommand::spec): a method reference makes the JVM
    // load, link and verify its class when the table is built, so every call would load every
    // command, and on septum-cli.jar (bin/septum's short commands) verifying a command that needs
    // the server's, store's or Kafka's classes fails. A lambda loads its command when it runs.
    static {
        ALL.put("validate", () -> ValidateCommand.spec());
        ALL.put("ids", () -> IdsCommand.spec());
        ALL.put("compile", () -> CompileCommand.spec());
        ALL.put("trace", () -> TraceCommand.spec());
        ALL.put("check", () -> CheckCommand.spec());
        ALL.put("diff", () -> DiffCommand.spec());
        ALL.put("reach", () -> ReachCommand.spec());
        ALL.put("resolve", () -> ResolveCommand.spec());
        ALL.put("staged", () -> StagedCommand.spec());
        ALL.put("stale", () -> StaleCommand.spec());
        ALL.put("expired", () -> ExpiredCommand.spec());
        ALL.put("lab", () -> LabCommand.spec());
        ALL.put("collect", () -> CollectCommand.spec());
        ALL.put("mirror-agent", () -> MirrorAgentCommand.spec());
        ALL.put("flows-ingest", () -> FlowsIngestCommand.spec());
        ALL.put("sessions", () -> SessionsCommand.spec());
        ALL.put("recommend", () -> RecommendCommand.spec());
        ALL.put("serve", () -> ServeCommand.spec());
    }

    /**
     * Commands that leave no thread behind that would keep the JVM running once they return (the
     * virtual threads and HTTP client that ask dynamic groups' sources are daemons).
     */
    private static final Set<String> SINGLE_THREADED = Set.of("validate", "ids", "compile", "trace", "check", "diff", "reach");

    /** Commands whose first argument is a policy directory they read (see {@link dev.septum.model.load.AddressMessages}). */
    private static final Set<String> READ_POLICY = Set.of("validate", "ids", "compile", "trace", "check", "diff", "reach");

    private Subcommands() {
    }

    /**
     * The named command when the first argument names one, none for {@code --version}, every
     * command otherwise (the help lists them, a typo is answered with the nearest).
     */
    static List<CommandSpec> neededFor(String... args) {
        if (args.length > 0 && ALL.containsKey(args[0])) {
            return List.of(ALL.get(args[0]).get());
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return List.of();
        }
        return ALL.values().stream().map(Supplier::get).toList();
    }

    /**
     * Whether the JVM ends once {@code main} returns after {@code args} ran: no command (help, the
     * version, a usage error) or one of {@link #SINGLE_THREADED}. A command that starts threads of
     * its own (a server, a collector, a lab, a store's workers) ends through {@code System.exit}.
     */
    static boolean startsNoThreads(String... args) {
        return args.length == 0 || !ALL.containsKey(args[0]) || SINGLE_THREADED.contains(args[0]);
    }

    /** Whether {@code args} name a command that reads a policy directory. */
    static boolean readsPolicy(String... args) {
        return args.length > 0 && READ_POLICY.contains(args[0]);
    }

    static List<String> names() {
        return List.copyOf(ALL.sequencedKeySet());
    }
}
