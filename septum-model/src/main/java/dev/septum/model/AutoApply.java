package dev.septum.model;

/**
 * A dynamic group whose membership changes the server may deploy without review: through an
 * auto-approved change control, when at most {@code maxChanged} members were added or removed and
 * no group a forward rule uses would be emptied. Anything larger waits in a workspace for review.
 */
public record AutoApply(int maxChanged) {
    public static final int MOST = 65_536;
}
