package dev.septum.server.api;

import dev.septum.server.auth.Passwords;
import dev.septum.server.store.User;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * Browser sessions, for the REST login and the web UI's alike: an HttpOnly, SameSite=Strict cookie
 * holding the session, and a second one holding its CSRF token so that the server can write the
 * token into the pages it renders (the store keeps only the token's hash). The token cookie proves
 * nothing by itself: a change must carry the token in a header or form field, which a cross-site
 * page cannot read.
 */
public final class BrowserSessions {
    public static final String CSRF_COOKIE = "septum_csrf";
    static final Duration LIFETIME = Duration.ofHours(12);

    private BrowserSessions() {
    }

    /** Starts a session for {@code user}, sets both cookies and answers the CSRF token. */
    public static String open(Context ctx, Services s, User user) {
        String csrf = Passwords.randomSecret();
        String session = s.users().createSession(user, LIFETIME, csrf);
        cookie(ctx, s, Authenticator.SESSION_COOKIE, session, LIFETIME.toSeconds());
        cookie(ctx, s, CSRF_COOKIE, csrf, LIFETIME.toSeconds());
        return csrf;
    }

    /** Ends the request's session, if any, and clears both cookies. */
    public static void close(Context ctx, Services s) {
        Optional.ofNullable(ctx.cookie(Authenticator.SESSION_COOKIE)).ifPresent(s.users()::endSession);
        cookie(ctx, s, Authenticator.SESSION_COOKIE, "", 0);
        cookie(ctx, s, CSRF_COOKIE, "", 0);
    }

    /** The CSRF token of the request's session, as its cookie holds it (checked against the store on every change). */
    public static String csrf(Context ctx) {
        return Optional.ofNullable(ctx.cookie(CSRF_COOKIE)).orElse("");
    }

    private static void cookie(Context ctx, Services s, String name, String value, long maxAge) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAge
                + (s.tls() ? "; Secure" : ""));
    }
}
