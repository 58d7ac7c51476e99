package dev.septum.server.store;

/** A user as the API shows it; the password hash never leaves {@link UserStore}. */
public record User(long id, String name, Role role) {
}
