package dev.septum.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a program ({@code bin/septum}, {@code java}) as a process of its own, with the
 * environment's JVM options taken out and {@code env} added: its exit code and what it printed on
 * each stream.
 */
record ProcessRun(int code, String out, String err) {
    static ProcessRun of(Path program, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("SEPTUM_JAVA_OPTS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not end within 120 s");
            }
            return new ProcessRun(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The answer {@code run} gave in process, to compare with a launched one. */
    static ProcessRun of(CliRun run) {
        return new ProcessRun(run.code(), run.out(), run.err());
    }
}
