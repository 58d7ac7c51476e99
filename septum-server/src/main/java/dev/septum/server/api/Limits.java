package dev.septum.server.api;

/**
 * How long each kind of text a client sends may be. Every text field names its limit when it is
 * read, so nothing a client sends (down to a token's label, which also goes into the append-only
 * audit log) is stored unbounded.
 */
public final class Limits {
    /** user, workspace, device and target names */
    public static final int NAME = 128;
    /** change and import messages, rejection reasons */
    public static final int MESSAGE = 1024;
    public static final int LABEL = 128;
    public static final int PASSWORD = 1024;
    /** addresses, namespaces, variable names, families, drivers */
    public static final int FIELD = 255;
    public static final int CERTIFICATE = 16 * 1024;
    public static final int HOST_KEY = 8 * 1024;
    /** one policy file */
    public static final int FILE = 1024 * 1024;
    /** files in one import */
    public static final int FILES = 200;

    private Limits() {
    }
}
