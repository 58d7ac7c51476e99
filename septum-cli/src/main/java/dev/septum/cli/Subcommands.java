package dev.septum.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every command of {@code septum}, by name, in the order the help lists them. Picocli reads a
 * command's options by reflection when the command is added, which cost every call more than the
 * JVM's own start; a call that names a command builds that one alone.
 */
final class Subcommands {
    private static final SequencedMap<String, Supplier<Object>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("validate", ValidateCommand::new);
        ALL.put("ids", IdsCommand::new);
        ALL.put("compile", CompileCommand::new);
        ALL.put("trace", TraceCommand::new);
        ALL.put("check", CheckCommand::new);
        ALL.put("diff", DiffCommand::new);
        ALL.put("reach", ReachCommand::new);
        ALL.put("resolve", ResolveCommand::new);
        ALL.put("staged", StagedCommand::new);
        ALL.put("stale", StaleCommand::new);
        ALL.put("expired", ExpiredCommand::new);
        ALL.put("lab", LabCommand::new);
        ALL.put("collect", CollectCommand::new);
        ALL.put("mirror-agent", MirrorAgentCommand::new);
        ALL.put("flows-ingest", FlowsIngestCommand::new);
        ALL.put("sessions", SessionsCommand::new);
        ALL.put("recommend", RecommendCommand::new);
        ALL.put("serve", ServeCommand::new);
    }

    /**
     * Commands that leave no thread behind that would keep the JVM running once they return (the
     * virtual threads and HTTP client that ask dynamic groups' sources are daemons).
     */
    private static final Set<String> SINGLE_THREADED = Set.of("validate", "ids", "compile", "trace", "check", "diff", "reach");

    private Subcommands() {
    }

    /**
     * The named command when the first argument names one, none for {@code --version}, every
     * command otherwise (the help lists them, a typo is answered with the nearest).
     */
    static List<Object> neededFor(String... args) {
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

    static List<String> names() {
        return List.copyOf(ALL.sequencedKeySet());
    }
}
