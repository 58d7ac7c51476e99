package dev.septum.server.store;

import dev.septum.server.auth.Passwords;
import dev.septum.server.db.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Users, their password hashes and their API tokens and browser sessions. Plain secrets are never
 * stored or logged. A disabled or deleted user authenticates no more, by password or by token;
 * a deleted user's row stays (without its password), so the audit log's names keep meaning one
 * person and the name is never given to someone else.
 */
public final class UserStore {
    /** The user's standing: only active users authenticate. */
    public enum State {
        ACTIVE, DISABLED, DELETED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<State> parse(String key) {
            return java.util.Arrays.stream(values()).filter(s -> s.key().equals(key)).findFirst();
        }
    }

    /** A user as an admin sees it. */
    public record Account(User user, State state, String createdAt) {
    }

    /** A token as its owner sees it: never the secret, which is shown once when created. */
    public record Token(String id, String label, String kind, String createdAt, String expiresAt) {
    }

    /** Who a token or session cookie belongs to; {@code csrfHash} is empty for API tokens. */
    public record Credential(User user, String kind, String csrfHash) {
    }

    /** A push token as an admin sees it (never the secret): the push groups it may put members to. */
    public record PushToken(String name, List<String> groups, String createdBy, String createdAt, String expiresAt) {
        /** Who a push by this token is recorded as; ':' is never in a user name, so no user can be mistaken for it. */
        public String actor() {
            return PUSH_ACTOR + name;
        }
    }

    public static final String PUSH_ACTOR = "push:";

    /** The short public id of a token: the start of its hash, enough to name it, useless to use it. */
    private static final int TOKEN_ID = 16;
    public static final String API = "api";
    public static final String SESSION = "session";

    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    public long count() {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
    }

    /** An active user by name. */
    public Optional<User> byName(String name) {
        return account(name).filter(a -> a.state() == State.ACTIVE).map(Account::user);
    }

    public Optional<Account> account(String name) {
        return db.read(h -> h.createQuery("SELECT id, name, role, state, created_at FROM users WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> account(rs)).findOne());
    }

    /** Every user that is not deleted. */
    public List<Account> list() {
        return db.read(h -> h.createQuery("SELECT id, name, role, state, created_at FROM users WHERE state <> 'deleted' ORDER BY id")
                .map((rs, ctx) -> account(rs)).list());
    }

    public User create(String actor, String name, Role role, char[] password) {
        String hash = Passwords.hash(password);
        return db.write(h -> {
            long id = h.createQuery("INSERT INTO users (name, role, password_hash, created_at, state) "
                            + "VALUES (:name, :role, :hash, :at, 'active') RETURNING id")
                    .bind("name", name).bind("role", role.key()).bind("hash", hash).bind("at", Clock.now())
                    .mapTo(Long.class).one();
            AuditLog.append(h, actor, "user.create", "user " + name, "role " + role.key());
            return new User(id, name, role);
        });
    }

    /** The stored password hash of an active user; empty for unknown, disabled and deleted users. */
    public Optional<String> passwordHash(String name) {
        return db.read(h -> h.createQuery("SELECT password_hash FROM users WHERE name = :name AND state = 'active'")
                .bind("name", name).mapTo(String.class).findOne());
    }

    /** The user when the password matches; the same empty answer for an unknown user and a wrong password. */
    public Optional<User> authenticate(String name, char[] password) {
        Optional<String> stored = passwordHash(name);
        if (stored.isEmpty()) {
            Passwords.hash(password); // spend the same time as a real check, so timing does not reveal user names
            return Optional.empty();
        }
        return Passwords.matches(password, stored.get()) ? byName(name) : Optional.empty();
    }

    /**
     * Changes a user's role or standing. Refused (empty answer with the reason) when it would leave
     * no active admin. Disabling or deleting also ends every token and session of the user.
     */
    public Optional<String> update(String actor, String name, Optional<Role> role, Optional<State> state) {
        return db.write(h -> {
            Account a = h.createQuery("SELECT id, name, role, state, created_at FROM users WHERE name = :name").bind("name", name)
                    .map((rs, ctx) -> account(rs)).one();
            Role newRole = role.orElse(a.user().role());
            State newState = state.orElse(a.state());
            long otherAdmins = h.createQuery("SELECT COUNT(*) FROM users WHERE role = 'admin' AND state = 'active' AND name <> :name")
                    .bind("name", name).mapTo(Long.class).one();
            if (otherAdmins == 0 && a.user().role() == Role.ADMIN && a.state() == State.ACTIVE
                    && (newRole != Role.ADMIN || newState != State.ACTIVE)) {
                return Optional.of("user " + name + " is the last active admin");
            }
            h.createUpdate("UPDATE users SET role = :role, state = :state" + (newState == State.DELETED ? ", password_hash = '!'" : "")
                    + " WHERE id = :id").bind("role", newRole.key()).bind("state", newState.key()).bind("id", a.user().id()).execute();
            if (newState != State.ACTIVE) {
                h.createUpdate("DELETE FROM api_tokens WHERE user_id = :id").bind("id", a.user().id()).execute();
            }
            AuditLog.append(h, actor, "user.update", "user " + name, "role " + newRole.key() + ", " + newState.key());
            return Optional.<String>empty();
        });
    }

    /** Creates an API token for {@code owner} valid for {@code lifetime}; only its hash is kept, so it is shown exactly once. */
    public String createToken(String actor, User owner, String label, Duration lifetime) {
        return create(actor, owner, label, lifetime, API, "");
    }

    /** A browser session: a token of kind session, and the hash of the CSRF token every change through it must carry. */
    public String createSession(User owner, Duration lifetime, String csrfToken) {
        return create(owner.name(), owner, "browser session", lifetime, SESSION, Passwords.sha256(csrfToken));
    }

    private String create(String actor, User owner, String label, Duration lifetime, String kind, String csrfHash) {
        String token = "sep_" + Passwords.randomSecret();
        Instant expires = Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        db.write(h -> {
            h.createUpdate("INSERT INTO api_tokens (token_hash, user_id, label, created_at, expires_at, kind, csrf_hash) "
                            + "VALUES (:hash, :user, :label, :at, :expires, :kind, :csrf)")
                    .bind("hash", Passwords.sha256(token)).bind("user", owner.id()).bind("label", label).bind("at", Clock.now())
                    .bind("expires", expires.toString()).bind("kind", kind).bind("csrf", csrfHash).execute();
            AuditLog.append(h, actor, kind.equals(API) ? "token.create" : "session.create", "user " + owner.name(),
                    "label " + label + ", expires " + expires);
            return null;
        });
        return token;
    }

    /** The active user of an unexpired token or session. */
    public Optional<Credential> byToken(String token) {
        return db.read(h -> h.createQuery("SELECT u.id, u.name, u.role, t.kind, t.csrf_hash, t.expires_at FROM api_tokens t "
                        + "JOIN users u ON u.id = t.user_id WHERE t.token_hash = :hash AND u.state = 'active'")
                .bind("hash", Passwords.sha256(token))
                .map((rs, ctx) -> Instant.parse(rs.getString("expires_at")).isAfter(Instant.now())
                        ? Optional.of(new Credential(user(rs), rs.getString("kind"), rs.getString("csrf_hash"))) : Optional.<Credential>empty())
                .findOne().flatMap(c -> c));
    }

    /** The user's tokens and sessions, newest first. */
    public List<Token> tokens(User owner) {
        return db.read(h -> h.createQuery("SELECT token_hash, label, kind, created_at, expires_at FROM api_tokens WHERE user_id = :user "
                        + "ORDER BY created_at DESC").bind("user", owner.id())
                .map((rs, ctx) -> new Token(rs.getString("token_hash").substring(0, TOKEN_ID), rs.getString("label"), rs.getString("kind"),
                        rs.getString("created_at"), rs.getString("expires_at"))).list());
    }

    /** Revokes one of the owner's tokens by its id; false when the owner has no such token. */
    public boolean revoke(User owner, String id) {
        if (id.length() != TOKEN_ID) {
            return false;
        }
        return db.write(h -> {
            int gone = h.createUpdate("DELETE FROM api_tokens WHERE user_id = :user AND substr(token_hash, 1, " + TOKEN_ID + ") = :id")
                    .bind("user", owner.id()).bind("id", id).execute();
            if (gone > 0) {
                AuditLog.append(h, owner.name(), "token.revoke", "user " + owner.name(), "token " + id);
            }
            return gone > 0;
        });
    }

    /**
     * Creates a push token limited to {@code groups}, valid for {@code lifetime}; like an API token
     * only its hash is kept, so it is shown exactly once. Empty when the name is taken.
     */
    public Optional<String> createPushToken(String actor, String name, List<String> groups, Duration lifetime) {
        String token = "sep_" + Passwords.randomSecret();
        Instant expires = Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        return db.write(h -> {
            if (h.createQuery("SELECT COUNT(*) FROM push_tokens WHERE name = :name").bind("name", name).mapTo(Long.class).one() > 0) {
                return Optional.<String>empty();
            }
            h.createUpdate("INSERT INTO push_tokens (token_hash, name, group_names, created_by, created_at, expires_at) "
                            + "VALUES (:hash, :name, :groups, :by, :at, :expires)")
                    .bind("hash", Passwords.sha256(token)).bind("name", name).bind("groups", String.join("\n", groups))
                    .bind("by", actor).bind("at", Clock.now()).bind("expires", expires.toString()).execute();
            AuditLog.append(h, actor, "push-token.create", "push token " + name, "groups " + String.join(", ", groups) + ", expires " + expires);
            return Optional.of(token);
        });
    }

    /** The unexpired push token a secret belongs to. */
    public Optional<PushToken> pushToken(String token) {
        return db.read(h -> h.createQuery(PUSH_TOKENS + " WHERE token_hash = :hash").bind("hash", Passwords.sha256(token))
                .map((rs, ctx) -> pushToken(rs)).findOne()).filter(t -> Instant.parse(t.expiresAt()).isAfter(Instant.now()));
    }

    /** Every push token, expired ones too, by name. */
    public List<PushToken> pushTokens() {
        return db.read(h -> h.createQuery(PUSH_TOKENS + " ORDER BY name").map((rs, ctx) -> pushToken(rs)).list());
    }

    /** Revokes a push token by its name; false when there is none. */
    public boolean revokePushToken(String actor, String name) {
        return db.write(h -> {
            int gone = h.createUpdate("DELETE FROM push_tokens WHERE name = :name").bind("name", name).execute();
            if (gone > 0) {
                AuditLog.append(h, actor, "push-token.revoke", "push token " + name, "revoked");
            }
            return gone > 0;
        });
    }

    private static final String PUSH_TOKENS = "SELECT name, group_names, created_by, created_at, expires_at FROM push_tokens";

    private static PushToken pushToken(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new PushToken(rs.getString("name"), List.of(rs.getString("group_names").split("\n")), rs.getString("created_by"),
                rs.getString("created_at"), rs.getString("expires_at"));
    }

    /** Ends a browser session (logout). */
    public void endSession(String token) {
        db.write(h -> h.createUpdate("DELETE FROM api_tokens WHERE token_hash = :hash AND kind = 'session'")
                .bind("hash", Passwords.sha256(token)).execute());
    }

    private static Account account(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Account(user(rs), State.parse(rs.getString("state")).orElseThrow(() -> new IllegalStateException("unknown user state")),
                rs.getString("created_at"));
    }

    private static User user(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new User(rs.getLong("id"), rs.getString("name"),
                Role.parse(rs.getString("role")).orElseThrow(() -> new IllegalStateException("unknown role in the users table")));
    }
}
