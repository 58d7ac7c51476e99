package dev.septum.deploy.eapi;

import java.util.List;

/**
 * eAPI refused or could not be reached. For a refused command, {@code failedCommand} is the
 * command EOS stopped at (commands run in order and stop at the first failure) and {@code errors}
 * EOS's own words about it, e.g. {@code Invalid input (at token 1: 'foo')}.
 */
public final class EapiException extends RuntimeException {
    private final int code;
    private final String failedCommand;
    private final List<String> errors;

    public EapiException(int code, String message, String failedCommand, List<String> errors) {
        super(message, null, false, false);
        this.code = code;
        this.failedCommand = failedCommand;
        this.errors = List.copyOf(errors);
    }

    /** The JSON-RPC error code (1002 a command failed, 1005 unauthorized, ...), or the HTTP status for transport failures. */
    public int code() {
        return code;
    }

    public String failedCommand() {
        return failedCommand;
    }

    public List<String> errors() {
        return errors;
    }

    public String describe() {
        return getMessage() + (failedCommand.isEmpty() ? "" : " at '" + failedCommand + "'")
                + (errors.isEmpty() ? "" : ": " + String.join("; ", errors));
    }
}
