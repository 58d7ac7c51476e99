package dev.septum.server.build;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Checks a YAML text a client sent before anything composes it: nesting deeper than
 * {@value #MAX_DEPTH} (the composer recurses, so thousands of levels overflow its stack) and
 * more aliases than {@value #MAX_ALIASES} (a billion-laughs document) are refused. The parser
 * walks events with an explicit stack, so the check itself cannot overflow.
 */
public final class YamlLimits {
    public static final int MAX_DEPTH = 64;
    public static final int MAX_ALIASES = 100;
    private static final LoadSettings SETTINGS = LoadSettings.builder().setMaxAliasesForCollections(MAX_ALIASES)
            .setCodePointLimit(4 * 1024 * 1024).build();

    private YamlLimits() {
    }

    /** Why the text is refused, or empty when it is within the limits (or is not YAML at all: the loader reports that). */
    public static Optional<String> problem(String text) {
        int depth = 0;
        int aliases = 0;
        try {
            for (Event e : new Parse(SETTINGS).parseString(text)) {
                switch (e.getEventId()) {
                    case MappingStart, SequenceStart -> {
                        if (++depth > MAX_DEPTH) {
                            return Optional.of("nests deeper than " + MAX_DEPTH + " levels" + line(e));
                        }
                    }
                    case MappingEnd, SequenceEnd -> depth--;
                    case Alias -> {
                        if (++aliases > MAX_ALIASES) {
                            return Optional.of("uses more than " + MAX_ALIASES + " aliases" + line(e));
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (YamlEngineException notYaml) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String line(Event e) {
        return e.getStartMark().map(m -> " (line " + (m.getLine() + 1) + ")").orElse("");
    }
}
