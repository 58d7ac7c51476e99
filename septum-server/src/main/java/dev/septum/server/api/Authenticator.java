package dev.septum.server.api;

import dev.septum.server.store.User;
import dev.septum.server.store.UserStore;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who is calling: {@code Authorization: Bearer <token>} (scripts and CI) or HTTP Basic with a
 * user's password. Neither the header nor the secret in it is ever logged.
 */
public final class Authenticator {
    private final UserStore users;

    public Authenticator(UserStore users) {
        this.users = users;
    }

    public User require(Context ctx) {
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        Optional<User> user = Optional.empty();
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            user = users.byToken(header.substring(7).strip());
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            user = basic(header.substring(6).strip());
        } else {
            ctx.header("WWW-Authenticate", "Basic realm=\"septum\", Bearer");
            throw new ApiError(401, "Authorization", "is missing", "send 'Authorization: Bearer <token>' "
                    + "(create one with POST /api/tokens) or HTTP Basic credentials (curl -u user:password)");
        }
        return user.orElseThrow(() -> new ApiError(401, "Authorization", "does not name a valid user and password or token",
                "check the credentials; tokens are shown only once when created"));
    }

    private Optional<User> basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return users.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
    }
}
