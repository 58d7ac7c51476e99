package dev.septum.cli;

/** Exit codes every command shares; documented in the README. */
final class ExitCodes {
    static final int OK = 0;
    /** The policy has errors (or a check found problems). */
    static final int POLICY_ERRORS = 1;
    /** Wrong options or arguments, e.g. an unknown device name. */
    static final int USAGE = 2;
    /** Output could not be written. */
    static final int IO = 3;
    static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
