package dev.septum.verify.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * The text parameters of an analysis by name ({@code src}, {@code vrf}, ...), as a command line
 * or a URL query gives them; each analysis parses and checks them itself, so both callers refuse
 * the same values with the same words. An empty value counts as not given.
 */
public record Parameters(SequencedMap<String, String> values) {
    public Parameters {
        SequencedMap<String, String> given = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                given.put(k, v);
            }
        });
        values = Collections.unmodifiableSequencedMap(given);
    }

    /** The parameters given, from options that may be absent. */
    public static Parameters of(Map<String, Optional<String>> options) {
        SequencedMap<String, String> given = new LinkedHashMap<>();
        options.forEach((k, v) -> v.ifPresent(value -> given.put(k, value)));
        return new Parameters(given);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String required(String name, String fix) {
        return get(name).orElseThrow(() -> new BadParameter(name, "is missing", fix));
    }
}
