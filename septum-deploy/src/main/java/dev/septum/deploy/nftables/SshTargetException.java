package dev.septum.deploy.nftables;

/**
 * The SSH target could not be reached, its host key was refused, or the login failed. Distinct from
 * a refused nft script: the device's state is unchanged but also unread.
 */
public final class SshTargetException extends RuntimeException {
    public SshTargetException(String message, Throwable cause) {
        super(message, cause);
    }

    public SshTargetException(String message) {
        super(message);
    }
}
