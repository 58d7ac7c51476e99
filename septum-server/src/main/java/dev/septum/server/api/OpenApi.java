package dev.septum.server.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of the routes, generated from the same {@link Endpoint} records the
 * server registers, so it is true to the routes by construction (and a test checks it against
 * Javalin's router).
 */
public final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
    /** The answer of every analysis route: the shape the CLI prints with {@code -o json}. */
    static final String ANALYSIS = "Analysis";

    private OpenApi() {
    }

    public static Map<String, Object> document(List<Endpoint> endpoints, String version) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Endpoint e : endpoints) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(e.path(), p -> new LinkedHashMap<String, Object>());
            item.put(e.method().name().toLowerCase(Locale.ROOT), operation(e));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Septum controller API", "version", version,
                "description", "Workspaces, builds, change controls and deployments of a Septum policy. "
                        + "Errors are JSON: {\"error\": {\"status\", \"field\", \"problem\", \"fix\"}}."));
        doc.put("paths", paths);
        doc.put("components", Map.of(
                "securitySchemes", Map.of(
                        "bearer", Map.of("type", "http", "scheme", "bearer"),
                        "basic", Map.of("type", "http", "scheme", "basic")),
                "schemas", Map.of("Error", Map.of("type", "object", "properties", Map.of("error", Map.of("type", "object",
                        "properties", Map.of("status", Map.of("type", "integer"), "field", Map.of("type", "string"),
                                "problem", Map.of("type", "string"), "fix", Map.of("type", "string"))))),
                        ANALYSIS, analysisSchema())));
        return doc;
    }

    private static Map<String, Object> operation(Endpoint e) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", e.summary());
        op.put("operationId", e.method().name().toLowerCase(Locale.ROOT) + e.path().replaceAll("[^A-Za-z0-9]+", "_"));
        e.role().ifPresentOrElse(
                role -> {
                    op.put("security", List.of(Map.of("bearer", List.of()), Map.of("basic", List.of())));
                    op.put("x-septum-role", role.key());
                },
                () -> op.put("security", List.of()));
        List<Map<String, Object>> parameters = new ArrayList<>();
        Matcher m = PARAM.matcher(e.path());
        while (m.find()) {
            parameters.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        e.query().forEach((name, description) -> parameters.add(Map.of("name", name, "in", "query", "required", false,
                "description", description, "schema", Map.of("type", "string"))));
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        e.requestBody().ifPresent(example -> op.put("requestBody", Map.of("required", true, "content",
                Map.of(e.bodyType(), Map.of("example", example)))));
        Map<String, Object> error = Map.of("description", "refused; the body names the field and the fix",
                "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(String.valueOf(e.successStatus()), e.schema().<Map<String, Object>>map(name -> Map.of("description", "OK",
                "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/" + name)))))
                .orElse(Map.of("description", "OK")));
        responses.put("400", error);
        if (e.role().isPresent()) {
            responses.put("401", error);
            responses.put("403", error);
        }
        op.put("responses", responses);
        return op;
    }

    /** Tables of rows under typed columns, and notes: a client renders any analysis from this alone. */
    private static Map<String, Object> analysisSchema() {
        Map<String, Object> string = Map.of("type", "string");
        Map<String, Object> column = Map.of("type", "object", "properties", Map.of(
                "key", Map.of("type", "string", "description", "the field of each row holding this column's value"),
                "title", Map.of("type", "string", "description", "the heading for people"),
                "type", Map.of("type", "string", "enum", List.of("text", "number", "flag", "list", "lines"),
                        "description", "text: a string; number; flag: a boolean; list: short names; lines: one line each"),
                "detail", Map.of("type", "boolean", "description", "a long value, shown below its row rather than in a column")));
        Map<String, Object> table = Map.of("type", "object", "properties", Map.of(
                "name", string, "title", string,
                "columns", Map.of("type", "array", "items", column),
                "rows", Map.of("type", "array", "items", Map.of("type", "object",
                        "description", "column key to value; null where the column does not apply to the row"))));
        Map<String, Object> note = Map.of("type", "object", "properties", Map.of(
                "level", Map.of("type", "string", "enum", List.of("error", "warning", "info")), "text", string));
        return Map.of("type", "object", "properties", Map.of(
                "kind", Map.of("type", "string", "enum", List.of("trace", "check", "reach", "diff")),
                "title", string,
                "subject", Map.of("type", "object", "description", "what was analysed: policy, flow, device, vrf, before, after",
                        "additionalProperties", string),
                "tables", Map.of("type", "array", "items", table),
                "notes", Map.of("type", "array", "items", note)));
    }
}
