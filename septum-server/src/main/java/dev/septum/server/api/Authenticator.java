package dev.septum.server.api;

import dev.septum.server.auth.LoginThrottle;
import dev.septum.server.auth.PasswordChecks;
import dev.septum.server.auth.Passwords;
import dev.septum.server.store.Role;
import dev.septum.server.store.User;
import dev.septum.server.store.UserStore;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Who is calling: {@code Authorization: Bearer <token>} (scripts and CI), HTTP Basic with a
 * user's password, or a browser session cookie, whose changes must also carry the session's CSRF
 * token in {@value #CSRF_HEADER}. A push token acts as role {@link Role#PUSH}, which no other route
 * accepts. A 401 never carries a {@code WWW-Authenticate} challenge, so a
 * browser never prompts for (and caches) credentials that a cross-site form could then ride on.
 * Password checks are throttled per user and per address and hashed off the request threads.
 * Neither the header nor the secret in it is ever logged.
 */
public final class Authenticator {
    public static final String SESSION_COOKIE = "septum_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private final UserStore users;
    private final LoginThrottle throttle;
    private final PasswordChecks checks;

    public Authenticator(UserStore users, LoginThrottle throttle, PasswordChecks checks) {
        this.users = users;
        this.throttle = throttle;
        this.checks = checks;
    }

    public User require(Context ctx) {
        Optional<String> bearer = bearer(ctx);
        if (bearer.isPresent()) {
            String token = bearer.get();
            return users.byToken(token).filter(c -> c.kind().equals(UserStore.API)).map(UserStore.Credential::user)
                    .or(() -> users.pushToken(token).map(p -> new User(0, p.actor(), Role.PUSH)))
                    .orElseThrow(() -> new ApiError(401, "Authorization", "is not a valid, unexpired token of an active user or a push token",
                            "check the token (shown only once when created) or create a new one with POST /api/tokens"));
        }
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(ctx, header.substring(6).strip());
        }
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie != null && !cookie.isBlank()) {
            return browser(ctx, Optional.ofNullable(ctx.header(CSRF_HEADER)).orElse(""));
        }
        throw new ApiError(401, "Authorization", "is missing", "send 'Authorization: Bearer <token>' "
                + "(create one with POST /api/tokens) or HTTP Basic credentials (curl -u user:password)");
    }

    /** The push token the request carries, if it carries one that is valid. */
    public Optional<UserStore.PushToken> pushToken(Context ctx) {
        return bearer(ctx).flatMap(users::pushToken);
    }

    private static Optional<String> bearer(Context ctx) {
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        return header.regionMatches(true, 0, "Bearer ", 0, 7) ? Optional.of(header.substring(7).strip()) : Optional.empty();
    }

    /**
     * The user of the request's browser session; a change (anything but GET and HEAD) must carry
     * the session's CSRF token, which the web UI's forms send as a field rather than a header.
     */
    public User browser(Context ctx, String csrf) {
        String cookie = Optional.ofNullable(ctx.cookie(SESSION_COOKIE)).orElse("");
        UserStore.Credential c = users.byToken(cookie).filter(x -> x.kind().equals(UserStore.SESSION))
                .orElseThrow(() -> new ApiError(401, SESSION_COOKIE, "is not a valid, unexpired session", "log in again with POST /api/session"));
        boolean reads = ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD");
        if (!reads && !MessageDigest.isEqual(Passwords.sha256(csrf).getBytes(StandardCharsets.US_ASCII),
                c.csrfHash().getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiError(403, CSRF_HEADER, "is missing or does not match the session",
                    "send the csrfToken that POST /api/session answered in the " + CSRF_HEADER + " header");
        }
        return c.user();
    }

    private User basic(Context ctx, String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw wrongPassword();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw wrongPassword();
        }
        return login(ctx, decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
    }

    /**
     * Checks a password: refused with 429 and Retry-After while its user or address has failed too
     * often, or while the hashing pool is saturated; the hash is computed off the request thread.
     */
    public User login(Context ctx, String name, char[] password) {
        if (name.length() > Limits.NAME || password.length > Limits.PASSWORD) {
            throw wrongPassword();
        }
        String address = ctx.ip();
        Optional<Duration> wait = throttle.attempt(name, address);
        if (wait.isPresent()) {
            throw tooMany(ctx, wait.get(), "too many failed logins for this user or from this address");
        }
        Optional<Optional<User>> checked = checks.run(() -> users.authenticate(name, password));
        if (checked.isEmpty()) {
            throttle.withdraw(name, address);
            throw tooMany(ctx, Duration.ofSeconds(1), "too many password checks at once");
        }
        if (checked.get().isEmpty()) {
            throw wrongPassword();
        }
        throttle.succeeded(name, address);
        return checked.get().get();
    }

    private static ApiError tooMany(Context ctx, Duration wait, String problem) {
        ctx.header("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
        return new ApiError(429, "Authorization", problem, "wait " + Math.max(1, wait.toSeconds())
                + " s (Retry-After) and try again; scripts should use a token (POST /api/tokens)");
    }

    private static ApiError wrongPassword() {
        return new ApiError(401, "Authorization", "does not name a valid, active user and its password",
                "check the credentials; tokens are shown only once when created");
    }
}
