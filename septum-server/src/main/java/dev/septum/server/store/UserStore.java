package dev.septum.server.store;

import dev.septum.server.auth.Passwords;
import dev.septum.server.db.Database;
import java.util.List;
import java.util.Optional;

/** Users, their password hashes and their API tokens. Plain secrets are never stored or logged. */
public final class UserStore {
    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    public long count() {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
    }

    public Optional<User> byName(String name) {
        return db.read(h -> h.createQuery("SELECT id, name, role FROM users WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> user(rs)).findOne());
    }

    public List<User> list() {
        return db.read(h -> h.createQuery("SELECT id, name, role FROM users ORDER BY id").map((rs, ctx) -> user(rs)).list());
    }

    public User create(String actor, String name, Role role, char[] password) {
        String hash = Passwords.hash(password);
        return db.write(h -> {
            long id = h.createQuery("INSERT INTO users (name, role, password_hash, created_at) VALUES (:name, :role, :hash, :at) RETURNING id")
                    .bind("name", name).bind("role", role.key()).bind("hash", hash).bind("at", Clock.now())
                    .mapTo(Long.class).one();
            AuditLog.append(h, actor, "user.create", "user " + name, "role " + role.key());
            return new User(id, name, role);
        });
    }

    /** The user when the password matches; the same empty answer for an unknown user and a wrong password. */
    public Optional<User> authenticate(String name, char[] password) {
        Optional<String> stored = db.read(h -> h.createQuery("SELECT password_hash FROM users WHERE name = :name")
                .bind("name", name).mapTo(String.class).findOne());
        if (stored.isEmpty()) {
            Passwords.hash(password); // spend the same time as a real check, so timing does not reveal user names
            return Optional.empty();
        }
        return Passwords.matches(password, stored.get()) ? byName(name) : Optional.empty();
    }

    /** Creates a token for the user and returns it; only its hash is kept, so it is shown exactly once. */
    public String createToken(User user, String label) {
        String token = "sep_" + Passwords.randomSecret();
        db.write(h -> {
            h.createUpdate("INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (:hash, :user, :label, :at)")
                    .bind("hash", Passwords.sha256(token)).bind("user", user.id()).bind("label", label).bind("at", Clock.now())
                    .execute();
            AuditLog.append(h, user.name(), "token.create", "user " + user.name(), "label " + label);
            return null;
        });
        return token;
    }

    public Optional<User> byToken(String token) {
        return db.read(h -> h.createQuery("SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id "
                        + "WHERE t.token_hash = :hash").bind("hash", Passwords.sha256(token))
                .map((rs, ctx) -> user(rs)).findOne());
    }

    private static User user(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new User(rs.getLong("id"), rs.getString("name"),
                Role.parse(rs.getString("role")).orElseThrow(() -> new IllegalStateException("unknown role in the users table")));
    }

}
