package dev.septum.server;

import dev.septum.server.api.ApiError;
import dev.septum.server.api.Endpoint;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Locale;
import java.util.Set;

/**
 * What every request body must be before a route reads it: of the media type the route takes
 * (JSON only as {@code application/json}, so a cross-site form, which can send only form and
 * {@code text/plain} bodies, is refused with 415) and at most {@link #MAX_BODY} bytes.
 */
final class RequestRules {
    static final long MAX_BODY = 8L * 1024 * 1024;
    private static final Set<String> YAML = Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml");

    private RequestRules() {
    }

    static void checkBody(Context ctx, Endpoint e) {
        boolean hasBody = ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
        if (!hasBody) {
            return;
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
        boolean ok = e.bodyType().equals("application/yaml") ? YAML.contains(type) : type.equals(e.bodyType());
        if (!ok) {
            throw new ApiError(415, "Content-Type", "is '" + type + "'; " + ctx.method() + " " + ctx.path() + " takes " + e.bodyType(),
                    "send the body with 'Content-Type: " + e.bodyType() + "'");
        }
    }

    static String describe(HttpResponseException e) {
        return e.getStatus() == 413 ? "the request body is larger than " + MAX_BODY / (1024 * 1024) + " MiB" : e.getMessage();
    }

    static String fix(int status) {
        return status == 413 ? "send at most " + MAX_BODY / (1024 * 1024) + " MiB: split an import into several, or shorten the files"
                : "check the request line and headers against /openapi.json";
    }
}
