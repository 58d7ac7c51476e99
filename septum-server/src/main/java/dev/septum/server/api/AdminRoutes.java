package dev.septum.server.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.septum.deploy.nftables.NftTarget;
import dev.septum.server.store.Role;
import dev.septum.server.store.TargetStore;
import dev.septum.server.store.User;
import dev.septum.server.store.UserStore;
import java.time.Duration;
import java.util.Optional;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Who may do what, API tokens, where devices are deployed, and the audit log. */
final class AdminRoutes {
    private static final Pattern USER_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final int MIN_PASSWORD = 12;
    private static final String USER_EXAMPLE = "{\"name\": \"bob\", \"role\": \"approver\", \"password\": \"<at least 12 characters>\"}";
    private static final String TOKEN_EXAMPLE = "{\"label\": \"ci\", \"days\": 30}";
    private static final String LOGIN_EXAMPLE = "{\"name\": \"bob\", \"password\": \"<password>\"}";
    private static final String UPDATE_EXAMPLE = "{\"role\": \"viewer\", \"state\": \"disabled\"}";
    private static final String TARGET_EXAMPLE = "{\"driver\": \"nftables\", \"namespace\": \"sxl-router\", \"family\": \"inet\"}";

    private final Services s;

    AdminRoutes(Services s) {
        this.s = s;
    }

    List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(GET, "/api/me", Role.VIEWER, "The calling user", (ctx, caller) -> ctx.json(Views.user(caller))),
                Endpoint.of(POST, "/api/session", null, "Log in from a browser: sets an HttpOnly, SameSite=Strict session cookie "
                        + "and answers the CSRF token every change must send in " + Authenticator.CSRF_HEADER, this::login)
                        .withBody(LOGIN_EXAMPLE).publicRoute(),
                Endpoint.of(DELETE, "/api/session", Role.VIEWER, "Log out: ends the browser session", this::logout),
                Endpoint.of(GET, "/api/tokens", Role.VIEWER, "The calling user's tokens and sessions (never their secrets)",
                        (ctx, caller) -> ctx.json(Map.of("tokens", s.users().tokens(caller)))),
                Endpoint.of(POST, "/api/tokens", Role.VIEWER, "Create an API token (shown once) for the calling user, valid for "
                        + "'days' (default and most: the server's token lifetime); admins may name another 'user'", this::token)
                        .withBody(TOKEN_EXAMPLE).created(),
                Endpoint.of(DELETE, "/api/tokens/{id}", Role.VIEWER, "Revoke one of the calling user's tokens by its id", this::revoke),
                Endpoint.of(GET, "/api/users", Role.ADMIN, "List users with their role and state (active or disabled)",
                        (ctx, caller) -> ctx.json(Map.of("users", s.users().list().stream().map(Views::account).toList()))),
                Endpoint.of(POST, "/api/users", Role.ADMIN, "Create a user with a role: viewer, editor, approver or admin",
                        this::createUser).withBody(USER_EXAMPLE).created(),
                Endpoint.of(PUT, "/api/users/{name}", Role.ADMIN, "Change a user's role or state (active, disabled); disabling ends "
                        + "the user's tokens and sessions", this::updateUser).withBody(UPDATE_EXAMPLE),
                Endpoint.of(DELETE, "/api/users/{name}", Role.ADMIN, "Delete a user: no more logins or tokens; the audit log keeps the "
                        + "name, which is never given to another user", this::deleteUser),
                Endpoint.of(GET, "/api/targets", Role.VIEWER, "Where each device is deployed",
                        (ctx, caller) -> ctx.json(Map.of("targets", s.targets().list()))),
                Endpoint.of(PUT, "/api/targets/{device}", Role.ADMIN,
                        "Bind a device to a deploy target: driver nftables, a network namespace and a table family",
                        this::putTarget).withBody(TARGET_EXAMPLE),
                Endpoint.of(GET, "/api/audit", Role.ADMIN, "The newest audit log entries (?limit=N, default 100), oldest first", this::audit));
    }

    private void token(Context ctx, User caller) {
        Body body = Body.parse(ctx.body(), Set.of("label", "days", "user"), TOKEN_EXAMPLE);
        String label = body.optionalString("label", Limits.LABEL, "a note saying where the token is used").orElse("api");
        long most = Math.max(1, s.tokenLifetime().toDays());
        long days = body.optionalLong("days", 1, most, "a number of days from 1 to " + most).orElse(most);
        String ownerName = body.optionalString("user", Limits.NAME, "the user the token acts as (admins only)").orElse(caller.name());
        if (!ownerName.equals(caller.name()) && !caller.role().includes(Role.ADMIN)) {
            throw new ApiError(403, "user", "only an admin creates tokens for other users", "leave 'user' out to create your own token");
        }
        User owner = s.users().byName(ownerName).orElseThrow(() -> ApiError.notFound("active user " + ownerName, "list users with GET /api/users"));
        String token = s.users().createToken(caller.name(), owner, label, Duration.ofDays(days));
        ctx.status(201).json(Map.of("token", token, "user", owner.name(), "label", label, "days", days));
    }

    private void revoke(Context ctx, User caller) {
        String id = ctx.pathParam("id");
        if (!s.users().revoke(caller, id)) {
            throw ApiError.notFound("token " + Body.limited("id", id, Limits.FIELD) + " of user " + caller.name(),
                    "list your tokens with GET /api/tokens");
        }
        ctx.json(Map.of("revoked", id));
    }

    private void login(Context ctx, User nobody) {
        Body body = Body.parse(ctx.body(), Set.of("name", "password"), LOGIN_EXAMPLE);
        String name = body.string("name", Limits.NAME, "your user name");
        String password = body.string("password", Limits.PASSWORD, "your password");
        User user = s.auth().login(ctx, name, password.toCharArray());
        String csrf = BrowserSessions.open(ctx, s, user);
        ctx.json(Map.of("user", Views.user(user), "csrfToken", csrf, "header", Authenticator.CSRF_HEADER));
    }

    private void logout(Context ctx, User caller) {
        BrowserSessions.close(ctx, s);
        ctx.json(Map.of("loggedOut", caller.name()));
    }

    private UserStore.Account account(Context ctx) {
        String name = ctx.pathParam("name");
        return s.users().account(name).filter(a -> a.state() != UserStore.State.DELETED)
                .orElseThrow(() -> ApiError.notFound("user " + Body.limited("name", name, Limits.NAME), "list users with GET /api/users"));
    }

    private void updateUser(Context ctx, User caller) {
        UserStore.Account account = account(ctx);
        Body body = Body.parse(ctx.body(), Set.of("role", "state"), UPDATE_EXAMPLE);
        Optional<Role> role = body.optionalString("role", Limits.FIELD, "one of viewer, editor, approver, admin").map(text -> Role.parse(text)
                .orElseThrow(() -> ApiError.badRequest("role", "'" + text + "' is not a role", "use one of viewer, editor, approver, admin")));
        Optional<UserStore.State> state = body.optionalString("state", Limits.FIELD, "active or disabled").map(text ->
                UserStore.State.parse(text).filter(st -> st != UserStore.State.DELETED).orElseThrow(() -> ApiError.badRequest("state",
                        "'" + text + "' is not a state a user can be put in", "use active or disabled; DELETE /api/users/{name} deletes")));
        change(caller, account, role, state);
    }

    private void deleteUser(Context ctx, User caller) {
        change(caller, account(ctx), Optional.empty(), Optional.of(UserStore.State.DELETED));
    }

    private void change(User caller, UserStore.Account account, Optional<Role> role, Optional<UserStore.State> state) {
        s.users().update(caller.name(), account.user().name(), role, state).ifPresent(refusal -> {
            throw ApiError.conflict("name", refusal + "; the server would have no admin left", "make another user admin first");
        });
    }

    private void createUser(Context ctx, User caller) {
        Body body = Body.parse(ctx.body(), Set.of("name", "role", "password"), USER_EXAMPLE);
        String name = body.string("name", Limits.NAME, "name the user, e.g. \"bob\"");
        if (!USER_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("name", "'" + name + "' is not a user name", "use lower-case letters, digits, '_', '-', '.' (at most 64)");
        }
        String roleText = body.string("role", Limits.FIELD, "one of viewer, editor, approver, admin");
        Role role = Role.parse(roleText).orElseThrow(() -> ApiError.badRequest("role", "'" + roleText + "' is not a role",
                "use one of " + String.join(", ", Role.OF_USERS.stream().map(Role::key).toList())));
        String password = body.string("password", Limits.PASSWORD, "give a password of at least " + MIN_PASSWORD + " characters");
        if (password.length() < MIN_PASSWORD) {
            throw ApiError.badRequest("password", "is shorter than " + MIN_PASSWORD + " characters", "use a longer password or a passphrase");
        }
        if (s.users().account(name).isPresent()) {
            throw ApiError.conflict("name", "a user named '" + name + "' exists (or existed: names of deleted users are not reused)",
                    "pick another name");
        }
        ctx.status(201).json(Views.user(s.users().create(caller.name(), name, role, password.toCharArray())));
    }

    private void putTarget(Context ctx, User caller) {
        String device = Body.limited("device", ctx.pathParam("device"), Limits.NAME);
        Body body = Body.parse(ctx.body(), Set.of("driver", "namespace", "family", "url", "certificate", "credentialsEnv",
                        "ssh", "hostKey", "auth", "sudo"),
                TARGET_EXAMPLE);
        String driver = body.string("driver", Limits.FIELD, "use one of " + s.runner().drivers());
        if (!driver.equals("nftables-ssh") && body.optionalBoolean("sudo", "remove it").isPresent()) {
            throw ApiError.badRequest("sudo", "applies to driver nftables-ssh only, not " + driver, "remove the field");
        }
        TargetStore.Target target = switch (driver) {
            case "nftables" -> nftables(device, body);
            case "nftables-ssh" -> nftablesSsh(device, body);
            case "eapi" -> eapi(device, body);
            default -> throw ApiError.badRequest("driver", "'" + driver + "' is not a deploy driver", "use one of " + s.runner().drivers());
        };
        modelDevice(device);
        s.targets().put(caller.name(), target);
        ctx.json(target);
    }

    private static TargetStore.Target nftablesSsh(String device, Body body) {
        String address = body.string("ssh", Limits.FIELD, "the Linux device as user@host[:port], e.g. \"septum@fw1.example.net:22\"");
        String auth = body.string("auth", Limits.FIELD, "password or key: what the variable in credentialsEnv holds");
        if (!auth.equals("password") && !auth.equals("key")) {
            throw ApiError.badRequest("auth", "'" + auth + "' is not an SSH login kind", "use password or key");
        }
        String env = credentialsEnv(body, "the password or private key", "SEPTUM_SSH_FW1");
        String hostKey = body.optionalString("hostKey", Limits.HOST_KEY, "the device's host key as an OpenSSH line, e.g. \"ssh-ed25519 AAAA...\"")
                .map(String::strip).orElse("");
        if (!hostKey.isEmpty() && !hostKey.matches("(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/=]+( .*)?")) {
            throw ApiError.badRequest("hostKey", "is not an OpenSSH public key line",
                    "copy it from the device's /etc/ssh/ssh_host_ed25519_key.pub, or omit it to use the server's known_hosts");
        }
        boolean sudo = body.optionalBoolean("sudo", "true to run 'sudo -n nft' as a non-root user with a NOPASSWD sudoers rule"
                + " for /usr/sbin/nft, false (the default) when the user itself may run nft").orElse(false);
        try {
            dev.septum.server.deploy.NftTargets.ssh(address, hostKey, auth, env, sudo);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("ssh", e.getMessage(), "use user@host[:port], e.g. septum@10.0.0.5:22");
        }
        String family = family(body);
        return new TargetStore.Target(device, "nftables-ssh", address, family, "", env, hostKey, auth, sudo);
    }

    private static String family(Body body) {
        String family = body.optionalString("family", Limits.FIELD, "inet (router or host) or bridge").orElse("inet");
        if (!family.equals("inet") && !family.equals("bridge")) {
            throw ApiError.badRequest("family", "'" + family + "' is not a table family Septum renders", "use inet (router or host) or bridge");
        }
        return family;
    }

    private static TargetStore.Target nftables(String device, Body body) {
        String namespace = body.string("namespace", Limits.FIELD, "name the network namespace that plays the device, e.g. \"sxl-router\"");
        try {
            new NftTarget.Namespace(namespace);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("namespace", e.getMessage(), "use an existing namespace's name (ip netns list)");
        }
        String family = body.optionalString("family", Limits.FIELD, "inet (router or host) or bridge").orElse("inet");
        if (!family.equals("inet") && !family.equals("bridge")) {
            throw ApiError.badRequest("family", "'" + family + "' is not a table family Septum renders", "use inet (router or host) or bridge");
        }
        return TargetStore.Target.nftables(device, namespace, family);
    }

    private static TargetStore.Target eapi(String device, Body body) {
        String url = body.string("url", Limits.FIELD, "the switch's eAPI address, e.g. \"https://10.0.0.1\"");
        if (!url.matches("https://[A-Za-z0-9.\\-\\[\\]:]+(:\\d+)?/?")) {
            throw ApiError.badRequest("url", "'" + url + "' is not an https://host[:port] address", "eAPI runs over HTTPS only, e.g. https://10.0.0.1");
        }
        String pem = body.string("certificate", Limits.CERTIFICATE, "the switch's TLS certificate in PEM (it is pinned: the only one trusted)");
        try {
            dev.septum.deploy.eapi.EapiClient.certificate(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("certificate", "is not a PEM certificate: " + e.getMessage(),
                    "paste the switch's certificate (-----BEGIN CERTIFICATE----- ...)");
        }
        String env = credentialsEnv(body, "user:password", "SEPTUM_EAPI_SW1");
        return new TargetStore.Target(device, "eapi", url, "", pem, env);
    }

    /**
     * The variable a target's secret is read from. Only SEPTUM_* variables: a target must not be
     * able to name any other variable of the server's environment (and so send it to a device).
     */
    private static String credentialsEnv(Body body, String holds, String example) {
        String env = body.string("credentialsEnv", Limits.FIELD, "name the server environment variable holding " + holds + ", e.g. " + example);
        if (!env.matches("SEPTUM_[A-Z0-9_]{1,57}")) {
            throw ApiError.badRequest("credentialsEnv", "'" + env + "' is not a SEPTUM_* environment variable name",
                    "use a variable named SEPTUM_ and capitals, digits or '_', e.g. " + example);
        }
        return env;
    }

    /** A target binds a device of the newest approved version, by its exact name. */
    private void modelDevice(String device) {
        var current = s.policies().current().orElseThrow(() -> ApiError.conflict("device", "there is no approved policy version to bind "
                + "devices of", "import one with POST /api/versions first"));
        dev.septum.model.load.LoadedPolicy loaded = dev.septum.server.build.PolicyFiles.load(s.policies().files(current.id()));
        if (!loaded.model().devices().containsKey(device)) {
            String hint = dev.septum.model.validate.Suggestions.closest(device, loaded.model().devices().keySet())
                    .map(d -> "did you mean '" + d + "'? ").orElse("");
            throw ApiError.notFound("device '" + device + "' in version " + current.id(), hint + "bind one of "
                    + String.join(", ", loaded.model().devices().keySet()));
        }
    }

    private void audit(Context ctx, User caller) {
        String text = ctx.queryParam("limit");
        int limit;
        try {
            limit = text == null ? 100 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("limit", "'" + text + "' is not a number", "use ?limit=100");
        }
        if (limit < 1 || limit > 10_000) {
            throw ApiError.badRequest("limit", "must be between 1 and 10000", "use ?limit=100");
        }
        ctx.json(Map.of("entries", s.audit().recent(limit)));
    }
}
