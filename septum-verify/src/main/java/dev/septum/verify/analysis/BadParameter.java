package dev.septum.verify.analysis;

/**
 * A parameter of an analysis that cannot be used, with the fix. The CLI reports it as a usage
 * error on {@code --parameter}, the server as a 400 naming the query parameter: one check, one
 * wording, wherever the analysis is asked for.
 */
public final class BadParameter extends RuntimeException {
    private final String parameter;
    private final String problem;
    private final String fix;

    public BadParameter(String parameter, String problem, String fix) {
        super(parameter + " " + problem + "; " + fix, null, false, false); // an answer to the caller, not a bug
        this.parameter = parameter;
        this.problem = problem;
        this.fix = fix;
    }

    /** The parameter's name, e.g. {@code dport} (the CLI's {@code --dport}). */
    public String parameter() {
        return parameter;
    }

    /** What is wrong, e.g. {@code 'x' is not a port number from 0 to 65535}. */
    public String problem() {
        return problem;
    }

    public String fix() {
        return fix;
    }
}
