package dev.septum.server.ui;

import dev.septum.server.api.ApiError;
import dev.septum.server.api.BrowserSessions;
import dev.septum.server.api.Limits;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;

/** Logging in and out with a browser session, and the API documentation page. */
final class LoginPages {
    private final WebUi ui;

    LoginPages(WebUi ui) {
        this.ui = ui;
    }

    /** The login page; {@code next} is where the browser goes after logging in (a path of this server only). */
    public record LoginView(String next, String name, Optional<String> error, Assets assets) {
    }

    /** The swagger-ui page over /openapi.json. */
    public record ApiDocsView(Assets assets) {
    }

    void register(WebUi.Routes routes) {
        routes.publicPage(HandlerType.GET, "/login", ctx -> ui.render(ctx, "login.jte",
                new LoginView(next(ctx.queryParam("next")), "", Optional.empty(), ui.assets())));
        routes.publicPage(HandlerType.POST, "/login", this::login);
        routes.post("/logout", Role.VIEWER, (ctx, viewer) -> {
            BrowserSessions.close(ctx, ui.services());
            WebUi.seeOther(ctx, "/login");
        });
        routes.publicPage(HandlerType.GET, "/api/docs", ctx -> ui.render(ctx, "apidocs.jte", new ApiDocsView(ui.assets())));
    }

    private void login(Context ctx) {
        String next = next(ctx.formParam("next"));
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("");
        try {
            WebUi.sameOrigin(ctx);
            String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
            User user = ui.services().auth().login(ctx, name, password.toCharArray());
            BrowserSessions.open(ctx, ui.services(), user);
            WebUi.seeOther(ctx, next);
        } catch (ApiError e) {
            String shown = name.length() > Limits.NAME ? "" : name;
            ui.render(ctx, e.status(), "login.jte", new LoginView(next, shown, Optional.of(e.getMessage() + ": " + e.fix()), ui.assets()));
        }
    }

    /** Only a path on this server: never another site, so a crafted login link cannot send the user elsewhere. */
    private static String next(String requested) {
        if (requested == null || requested.length() > Limits.MESSAGE || !requested.startsWith("/") || requested.startsWith("//")
                || requested.contains("\\") || requested.startsWith("/login")) {
            return "/";
        }
        return requested;
    }
}
