package dev.septum.server;

/** Test-only credentials; never used outside a test's own temporary database. */
public final class TestUsers {
    public static final String ADMIN_PASSWORD = "admin-test-password-1";
    public static final String BOB_PASSWORD = "bob-test-password-12";

    private TestUsers() {
    }
}
