package dev.septum.lab;

import java.util.List;

/** lab.yaml cannot be used; {@link #problems()} lists every reason, each with its fix. */
public final class LabSpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public LabSpecException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
