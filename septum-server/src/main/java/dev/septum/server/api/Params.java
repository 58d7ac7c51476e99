package dev.septum.server.api;

import dev.septum.server.build.PolicyFiles;
import io.javalin.http.Context;

/** Path and query parameters, checked with the same field-and-fix errors as bodies. */
final class Params {
    private Params() {
    }

    static long id(Context ctx, String name) {
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
}
