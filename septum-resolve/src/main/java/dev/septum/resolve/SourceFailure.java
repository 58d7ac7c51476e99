package dev.septum.resolve;

/**
 * A source gave no usable answer. The message says what failed and where (a field of the answer,
 * an item's index), never a secret: it is shown, stored and logged with the group.
 */
public final class SourceFailure extends Exception {
    public SourceFailure(String message) {
        super(message);
    }

    public SourceFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
