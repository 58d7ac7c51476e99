package dev.septum.server.api;

import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * One route of the API, with everything the OpenAPI document says about it. Routes are registered
 * from these records and the document is generated from the same records, so the two cannot drift.
 *
 * @param role        who may call it; empty for the few public routes
 * @param requestBody an example body (JSON or YAML text), empty when the route takes none
 * @param bodyType    the request body's media type
 * @param query       the query parameters it reads, name to description, in the order documented
 * @param schema      the schema of its answer among the document's components, when it has one
 */
public record Endpoint(HandlerType method, String path, Optional<Role> role, String summary, Optional<String> requestBody,
                       String bodyType, int successStatus, Action action, SequencedMap<String, String> query,
                       Optional<String> schema) {
    public Endpoint {
        query = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(query));
    }

    @FunctionalInterface
    public interface Action {
        void handle(Context ctx, User caller) throws Exception;
    }

    public static Endpoint of(HandlerType method, String path, Role role, String summary, Action action) {
        return new Endpoint(method, path, Optional.ofNullable(role), summary, Optional.empty(), "application/json", 200, action,
                new LinkedHashMap<>(), Optional.empty());
    }

    public Endpoint withBody(String example) {
        return new Endpoint(method, path, role, summary, Optional.of(example), bodyType, successStatus, action, query, schema);
    }

    public Endpoint withYamlBody(String example) {
        return new Endpoint(method, path, role, summary, Optional.of(example), "application/yaml", successStatus, action, query, schema);
    }

    public Endpoint created() {
        return new Endpoint(method, path, role, summary, requestBody, bodyType, 201, action, query, schema);
    }

    /** Answers 202: the work goes on after the answer (a Location to poll). */
    public Endpoint accepted() {
        return new Endpoint(method, path, role, summary, requestBody, bodyType, 202, action, query, schema);
    }

    public Endpoint publicRoute() {
        return new Endpoint(method, path, Optional.empty(), summary, requestBody, bodyType, successStatus, action, query, schema);
    }

    /** Documents the query parameters the route reads (name to description). */
    public Endpoint withQuery(SequencedMap<String, String> parameters) {
        return new Endpoint(method, path, role, summary, requestBody, bodyType, successStatus, action, parameters, schema);
    }

    /** Names the schema of the answer, one of the OpenAPI document's components. */
    public Endpoint answering(String schemaName) {
        return new Endpoint(method, path, role, summary, requestBody, bodyType, successStatus, action, query, Optional.of(schemaName));
    }
}
