package dev.septum.deploy.eapi;

/** A switch's hit counters could not be read: the message names the switch, what went wrong and the fix. */
public final class EosCounterException extends RuntimeException {
    public EosCounterException(String message) {
        super(message, null, false, false);
    }
}
