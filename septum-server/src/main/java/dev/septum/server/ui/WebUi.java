package dev.septum.server.ui;

import dev.septum.server.api.ApiError;
import dev.septum.server.api.Authenticator;
import dev.septum.server.api.BrowserSessions;
import dev.septum.server.api.Services;
import dev.septum.server.store.Role;
import dev.septum.server.store.Workspace;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The web UI: server-rendered pages over the same services as the REST API, for a browser
 * session (the session cookie, and the CSRF token in every form). Pages read without JavaScript;
 * htmx (loaded from the jar's WebJars) only makes forms and links swap the page in place, and
 * polls a running change control.
 */
public final class WebUi {
    static final String CSRF_FIELD = "_csrf";

    private final Services s;
    private final Templates templates = new Templates();
    private final Islands islands;

    public WebUi(Services s) {
        this.s = s;
        this.islands = new Islands(s);
    }

    Services services() {
        return s;
    }

    /** Serves the static files and registers every page; called while Javalin is configured. */
    public void register(JavalinConfig c) {
        c.staticFiles.enableWebjars();
        c.staticFiles.add(files -> {
            files.hostedPath = "/static";
            files.directory = "/ui/static";
            files.location = Location.CLASSPATH;
        });
        Routes routes = new Routes(c);
        new LoginPages(this).register(routes);
        new DashboardPage(this).register(routes);
        new PolicyManager(this).register(routes);
        new WorkspacePages(this).register(routes);
        new ChangeControlPages(this).register(routes);
        new MonitorPage(this).register(routes);
        new VerifyPages(this).register(routes);
        new FlowPages(this).register(routes);
        new BuilderPages(this).register(routes);
    }

    /** Adds page routes: public ones as they are, the others behind the browser session and a role. */
    final class Routes {
        private final JavalinConfig c;

        private Routes(JavalinConfig c) {
            this.c = c;
        }

        void publicPage(HandlerType method, String path, io.javalin.http.Handler handler) {
            c.routes.addHttpHandler(method, path, handler);
        }

        void get(String path, Role role, UiAction action) {
            c.routes.addHttpHandler(HandlerType.GET, path, ctx -> handle(ctx, role, action));
        }

        void post(String path, Role role, UiAction action) {
            c.routes.addHttpHandler(HandlerType.POST, path, ctx -> handle(ctx, role, action));
        }
    }

    private void handle(Context ctx, Role role, UiAction action) throws Exception {
        Viewer viewer;
        try {
            sameOrigin(ctx);
            String csrf = Optional.ofNullable(ctx.header(Authenticator.CSRF_HEADER)).or(() -> formCsrf(ctx)).orElse("");
            viewer = new Viewer(s.auth().browser(ctx, csrf), BrowserSessions.csrf(ctx));
        } catch (ApiError e) {
            if (e.status() == 401 && ctx.method() == HandlerType.GET) {
                ctx.redirect("/login?next=" + URLEncoder.encode(ctx.fullUrl().substring(ctx.fullUrl().indexOf(ctx.path())),
                        StandardCharsets.UTF_8), io.javalin.http.HttpStatus.SEE_OTHER);
                return;
            }
            errorPage(ctx, Optional.empty(), e);
            return;
        }
        try {
            if (!viewer.may(role)) {
                throw new ApiError(403, "", "user " + viewer.user().name() + " has role " + viewer.user().role().key() + "; this needs "
                        + role.key(), "ask an admin for the " + role.key() + " role, or log in as another user");
            }
            action.handle(ctx, viewer);
        } catch (ApiError e) {
            errorPage(ctx, Optional.of(viewer), e);
        }
    }

    private static Optional<String> formCsrf(Context ctx) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("");
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")
                ? Optional.ofNullable(ctx.formParam(CSRF_FIELD)) : Optional.empty();
    }

    /** A change from a page of another site is refused even before its CSRF token is checked. */
    static void sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (ctx.method() == HandlerType.GET || origin == null) {
            return;
        }
        String host;
        try {
            host = Optional.ofNullable(URI.create(origin).getAuthority()).orElse("");
        } catch (IllegalArgumentException e) {
            host = "";
        }
        if (!host.equals(ctx.host())) {
            throw new ApiError(403, "Origin", "is " + origin + ", not this server", "use the server's own pages to make changes");
        }
    }

    private void errorPage(Context ctx, Optional<Viewer> viewer, ApiError e) {
        ErrorView view = new ErrorView(viewer.map(v -> chrome(v, "Error", "", Optional.empty())), e.status(), e.field(), e.getMessage(),
                e.fix());
        render(ctx, e.status(), "error.jte", view);
    }

    /** What the error page shows: the API's own problem and fix. */
    public record ErrorView(Optional<Chrome> chrome, int status, String field, String problem, String fix) {
    }

    Chrome chrome(Viewer v, String title, String section, Optional<Workspace> workspace) {
        return new Chrome(title, v.user().name(), v.user().role().key(), v.csrf(), section, islands.of(v, workspace), templates.assets(),
                Optional.empty());
    }

    Assets assets() {
        return templates.assets();
    }

    void render(Context ctx, int status, String template, Object page) {
        // stripped: the error handlers keep an answer only when it starts as HTML or JSON does
        ctx.status(status).contentType("text/html; charset=utf-8").result(templates.render(template, page).stripLeading());
    }

    void render(Context ctx, String template, Object page) {
        render(ctx, 200, template, page);
    }

    /** After a change: where the browser goes next (htmx follows it and swaps the new page in). */
    static void seeOther(Context ctx, String path) {
        ctx.redirect(path, io.javalin.http.HttpStatus.SEE_OTHER);
    }
}
