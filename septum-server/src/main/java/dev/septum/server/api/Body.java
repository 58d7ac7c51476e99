package dev.septum.server.api;

import dev.septum.model.validate.Suggestions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON request body read field by field, so every refusal names the field and the fix instead
 * of surfacing a parser's stack trace. Unknown fields are refused too: a typo in an optional
 * field would otherwise be silently ignored.
 */
public final class Body {
    private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile("-?\\d{1,19}(\\.\\d{1,19})?");
    private final JsonNode root;

    private Body(JsonNode root) {
        this.root = root;
    }

    /** Parses {@code text}, which must be a JSON object with no fields outside {@code allowed}. */
    public static Body parse(String text, Set<String> allowed, String example) {
        JsonNode root;
        try {
            root = text.isBlank() ? Json.MAPPER.createObjectNode() : Json.read(text);
        } catch (JacksonException e) {
            throw ApiError.badRequest("(body)", "is not valid JSON: " + e.getOriginalMessage(), "send a JSON object such as " + example);
        }
        if (!root.isObject()) {
            throw ApiError.badRequest("(body)", "is not a JSON object", "send a JSON object such as " + example);
        }
        for (String name : root.propertyNames()) {
            if (!allowed.contains(name)) {
                String hint = Suggestions.closest(name, allowed).map(s -> "did you mean '" + s + "'? ").orElse("");
                throw ApiError.badRequest(name, "is not a field of this request", hint + "use only " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return new Body(root);
    }

    /**
     * A form's or a query's fields as the JSON body they stand for, so a page refuses a value in
     * the API's words: {@code lists} are lists (of every value, each comma separated), {@code
     * numbers} numbers when they read as one (else text, which the field then refuses); an empty
     * input is absent, and fields outside {@code allowed} are not read.
     */
    public static Body ofForm(Map<String, java.util.List<String>> params, Set<String> allowed, Set<String> lists, Set<String> numbers) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        for (String field : allowed) {
            java.util.List<String> given = params.getOrDefault(field, java.util.List.of()).stream()
                    .map(v -> limited(field, v, Limits.MESSAGE).strip()).filter(v -> !v.isEmpty()).toList();
            if (given.isEmpty()) {
                continue;
            }
            if (lists.contains(field)) {
                var list = root.putArray(field);
                given.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::strip).filter(v -> !v.isEmpty())
                        .forEach(list::add);
            } else if (numbers.contains(field)) {
                // plain decimals only: an exponent such as 1e999999999 would make a number too big to compare cheaply
                if (PLAIN_NUMBER.matcher(given.getFirst()).matches()) {
                    root.put(field, new java.math.BigDecimal(given.getFirst()));
                } else {
                    root.put(field, given.getFirst());
                }
            } else {
                root.put(field, given.getFirst());
            }
        }
        return new Body(root);
    }

    /** A required string of at most {@code max} characters. */
    public String string(String field, int max, String fix) {
        return optionalString(field, max, fix).orElseThrow(() -> ApiError.badRequest(field, "is missing", fix));
    }

    public Optional<String> optionalString(String field, int max, String fix) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw ApiError.badRequest(field, "must be a string, not " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT), fix);
        }
        return Optional.of(limited(field, value.asString(), max));
    }

    /** A policy file's text within the size, nesting and alias limits. */
    static String yaml(String field, String text) {
        limited(field, text, Limits.FILE);
        dev.septum.server.build.YamlLimits.problem(text).ifPresent(problem -> {
            throw ApiError.badRequest(field, problem, "flatten the YAML; a policy file needs a few levels and no aliases to speak of");
        });
        return text;
    }

    public static String limited(String field, String text, int max) {
        if (text.length() > max) {
            throw ApiError.badRequest(field, "is " + text.length() + " characters long; at most " + max + " are allowed",
                    "shorten it to " + max + " characters or fewer");
        }
        return text;
    }

    /** A whole number from {@code min} to {@code max}. */
    public Optional<Long> optionalLong(String field, long min, long max, String fix) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw ApiError.badRequest(field, "must be a whole number from " + min + " to " + max + ", not " + value, fix);
        }
        return Optional.of(value.asLong());
    }

    public Optional<Boolean> optionalBoolean(String field, String fix) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw ApiError.badRequest(field, "must be true or false, not " + value, fix);
        }
        return Optional.of(value.asBoolean());
    }

    /** An object of at most {@code maxEntries} string values of at most {@code max} characters, e.g. {@code files: {"policies.yaml": "..."}}. */
    public Map<String, String> stringMap(String field, int maxEntries, int max, String fix) {
        JsonNode value = root.get(field);
        if (value == null || !value.isObject()) {
            throw ApiError.badRequest(field, value == null ? "is missing" : "must be an object of name: text", fix);
        }
        if (value.size() > maxEntries) {
            throw ApiError.badRequest(field, "has " + value.size() + " entries; at most " + maxEntries + " are allowed", fix);
        }
        java.util.LinkedHashMap<String, String> map = new java.util.LinkedHashMap<>();
        for (var e : value.properties()) {
            if (!e.getValue().isString()) {
                throw ApiError.badRequest(field + "." + e.getKey(), "must be a string (the file's text)", fix);
            }
            map.put(e.getKey(), limited(field + "." + e.getKey(), e.getValue().asString(), max));
        }
        return map;
    }

    /** A list of at most {@code maxEntries} strings of at most {@code max} characters; empty when absent. */
    public java.util.List<String> stringList(String field, int maxEntries, int max, String fix) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return java.util.List.of();
        }
        if (!value.isArray()) {
            throw ApiError.badRequest(field, "must be a list of strings", fix);
        }
        if (value.size() > maxEntries) {
            throw ApiError.badRequest(field, "has " + value.size() + " entries; at most " + maxEntries + " are allowed", fix);
        }
        java.util.List<String> list = new java.util.ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isString()) {
                throw ApiError.badRequest(field, "must be a list of strings, not " + item, fix);
            }
            list.add(limited(field, item.asString(), max));
        }
        return list;
    }

    /** A number from {@code min} to {@code max}. */
    public Optional<Double> optionalDouble(String field, double min, double max, String fix) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || !(value.asDouble() >= min && value.asDouble() <= max)) {
            throw ApiError.badRequest(field, "must be a number from " + min + " to " + max + ", not " + value, fix);
        }
        return Optional.of(value.asDouble());
    }

    /** Whether the body has this field (not null). */
    public boolean has(String field) {
        JsonNode value = root.get(field);
        return value != null && !value.isNull();
    }

    /** A required JSON list of at most {@code maxItems} items, as JSON text for a reader that checks each item. */
    public String list(String field, int maxItems, String fix) {
        JsonNode value = root.get(field);
        if (value == null || !value.isArray()) {
            throw ApiError.badRequest(field, value == null ? "is missing" : "must be a list", fix);
        }
        if (value.size() > maxItems) {
            throw ApiError.badRequest(field, "has " + value.size() + " items; at most " + maxItems + " are allowed", fix);
        }
        return Json.write(value);
    }
}
