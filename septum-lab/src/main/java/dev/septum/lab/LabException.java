package dev.septum.lab;

/** The lab could not be built, deployed or probed; the message says which step and why. */
public final class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(String message) {
        super(message);
    }
}
