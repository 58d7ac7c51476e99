package dev.septum.server.api;

import dev.septum.model.validate.Suggestions;
import dev.septum.server.build.PolicyFiles;
import io.javalin.http.Context;
import java.util.Collection;
import java.util.List;

/** Path and query parameters, checked with the same field-and-fix errors as bodies. */
public final class Params {
    private Params() {
    }

    public static long id(Context ctx, String name) {
        String text = ctx.pathParam(name);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name, "'" + text + "' is not a number", "use the numeric id from the list route");
        }
    }

    static String fileName(Context ctx) {
        String name = ctx.pathParam("name");
        if (!PolicyFiles.FILE_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("name", "'" + name + "' is not a policy file name",
                    "use a plain file name ending in .yaml or .yml (letters, digits, '_', '-', '.'), e.g. policies.yaml");
        }
        return name;
    }

    /** A page of a list: the items after id {@code after}, at most {@code limit}. */
    record Page(long after, int limit) {
        /** The answer's {@code next}: the id to pass as ?after= for the following page, null after the last. */
        Long next(List<Long> ids) {
            return ids.size() < limit ? null : ids.getLast();
        }
    }

    static final int MAX_PAGE = 1000;

    static Page page(Context ctx) {
        long after = number(ctx, "after", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(ctx, "limit", 1, MAX_PAGE, 100);
        return new Page(after, limit);
    }

    /** The paging parameters as the OpenAPI document lists them. */
    static java.util.SequencedMap<String, String> pageQuery() {
        java.util.SequencedMap<String, String> query = new java.util.LinkedHashMap<>();
        query.put("after", "list the items after this id (the previous answer's next)");
        query.put("limit", "at most this many (default 100, at most " + MAX_PAGE + ")");
        return query;
    }

    private static long number(Context ctx, String name, long min, long max, long fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.badRequest(name, "'" + text + "' is not a number from " + min + " to " + max, "use e.g. ?" + name + "=" + fallback);
    }

    static boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty() || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiError.badRequest(name, "'" + value + "' is not true or false", "use ?" + name + "=true");
    }

    /** Refuses a query parameter the route does not read, so a misspelt one is not silently ignored. */
    static void only(Context ctx, String route, Collection<String> parameters) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!parameters.contains(name)) {
                String hint = Suggestions.closest(name, parameters).map(s -> "did you mean '" + s + "'? ").orElse("");
                throw ApiError.badRequest(name, "is not a parameter of " + route, hint + (parameters.isEmpty()
                        ? "it takes no query parameters" : "use only " + String.join(", ", parameters)));
            }
        }
    }
}
