package dev.septum.model.load;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * One file's YAML as SnakeYAML's node tree (empty for an empty file) with the rules read while it was
 * composed, or the syntax error composing it found.
 */
record ComposedYaml(Optional<Node> root, EarlyRules earlyRules, YamlEngineException failure) {
    private static final LoadSettings SETTINGS = LoadSettings.builder()
            .setAllowDuplicateKeys(true) // reported with a location by YamlFields instead
            // Every field is read from a scalar's text (YamlFields), never from the tag the schema gives it;
            // the JSON schema's tags cost regular-expression matches on every scalar, 5 % of a 10,000-rule load
            .setSchema(new FailsafeSchema())
            .setMaxAliasesForCollections(50)
            .setCodePointLimit(16 * 1024 * 1024)
            .build();

    /** Composes on this thread, reading the rules as they are composed. */
    static ComposedYaml of(String file, String text) {
        return of(text, EarlyRules.readWhileComposing(file));
    }

    static ComposedYaml of(String text, EarlyRules early) {
        try {
            return new ComposedYaml(early.compose(SETTINGS, text), early, null);
        } catch (YamlEngineException e) {
            return new ComposedYaml(Optional.empty(), early, e);
        }
    }
}
