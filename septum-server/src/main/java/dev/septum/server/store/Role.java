package dev.septum.server.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do. Each role includes the ones before it: an approver can also edit, an admin
 * can do everything. Four eyes is enforced separately: nobody approves their own change control.
 */
public enum Role {
    VIEWER, EDITOR, APPROVER, ADMIN;

    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        return Arrays.stream(values()).filter(r -> r.key().equals(text)).findFirst();
    }
}
