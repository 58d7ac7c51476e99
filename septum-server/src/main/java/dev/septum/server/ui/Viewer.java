package dev.septum.server.ui;

import dev.septum.server.store.Role;
import dev.septum.server.store.User;

/** The logged-in user of a page and the CSRF token its forms carry. */
record Viewer(User user, String csrf) {
    boolean may(Role role) {
        return user.role().includes(role);
    }
}
