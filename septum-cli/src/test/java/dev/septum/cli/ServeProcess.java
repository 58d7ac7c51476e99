package dev.septum.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code septum serve} in a process of its own, as a user runs it, with its output read line by line. */
final class ServeProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder seen = new StringBuilder();

    private ServeProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon(true).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output ended: " + e.getMessage() + ")");
            }
        });
    }

    static ServeProcess start(Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("serve"));
        command.addAll(List.of(arguments));
        return command(environment, command.toArray(String[]::new));
    }

    /** Any {@code septum} command ({@code arguments} starts with its name) in its own process. */
    static ServeProcess command(Map<String, String> environment, String... arguments) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        return new ServeProcess(pb.start());
    }

    /** SIGKILL: no shutdown hook runs, as when the host loses power; true once the process ended. */
    boolean kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /**
     * Any long-running {@code septum} command ({@code arguments} starts with its name) in its own
     * process inside network namespace {@code netns}, through {@code ip netns exec}.
     */
    static ServeProcess startIn(String netns, String... arguments) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns, java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(arguments));
        return new ServeProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The first line from now on matching {@code pattern}; fails after 60 s with what serve printed. */
    Matcher awaitLine(Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("serve printed no line matching " + pattern + " within 60 s:\n" + seen);
            }
            seen.append(line).append('\n');
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
    }

    /** Everything serve printed so far that a wait read. */
    String seen() {
        return seen.toString();
    }

    /** SIGTERM: the shutdown hook stops the server; true once the process ended. */
    boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM through kill(1), leaving the output streams open (Process.destroy closes them), so what
     * the command prints while shutting down (its counters) can still be read; true once it ended.
     */
    boolean terminate() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /** The exit status of the ended process. */
    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() && !stop()) {
            process.destroyForcibly();
        }
    }
}
