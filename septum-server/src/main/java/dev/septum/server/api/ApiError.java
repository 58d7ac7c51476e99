package dev.septum.server.api;

import java.util.Map;

/**
 * A request the server refuses, with what a client needs to fix it: the HTTP status, the field
 * (a JSON body field, a path or query parameter, or a file name), the problem and the fix.
 * {@code details} carries structured extras such as validation diagnostics or conflicting files.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String field;
    private final String fix;
    private final Map<String, Object> details;

    public ApiError(int status, String field, String problem, String fix, Map<String, Object> details) {
        super(problem, null, false, false); // no stack trace: these are answers, not bugs
        this.status = status;
        this.field = field;
        this.fix = fix;
        this.details = Map.copyOf(details);
    }

    public ApiError(int status, String field, String problem, String fix) {
        this(status, field, problem, fix, Map.of());
    }

    public static ApiError badRequest(String field, String problem, String fix) {
        return new ApiError(400, field, problem, fix);
    }

    public static ApiError notFound(String what, String fix) {
        return new ApiError(404, "", what + " does not exist", fix);
    }

    public static ApiError conflict(String field, String problem, String fix) {
        return new ApiError(409, field, problem, fix);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String fix() {
        return fix;
    }

    public Map<String, Object> details() {
        return details;
    }
}
