package dev.septum.server.store;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do. Each role includes the ones before it: an approver can also edit, an admin
 * can do everything. Four eyes is enforced separately: nobody approves their own change control.
 * {@link #PUSH} is never a user's role: a push token acts with it, and it includes no other role,
 * so such a token reads nothing and may only push members to the groups it names.
 */
public enum Role {
    PUSH, VIEWER, EDITOR, APPROVER, ADMIN;

    /** The roles a user can have. */
    public static final List<Role> OF_USERS = List.of(VIEWER, EDITOR, APPROVER, ADMIN);

    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A user's role by its key; never {@link #PUSH}. */
    public static Optional<Role> parse(String text) {
        return OF_USERS.stream().filter(r -> r.key().equals(text)).findFirst();
    }
}
