package dev.septum.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A {@link ServerProcessMain} in a JVM of its own: started, its port read, killed with SIGKILL or stopped. */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** {@code database}: a PostgreSQL JDBC URL, or empty for SQLite in {@code dataDir}. */
    public static ServerProcess start(Path dataDir, long deployStepDelayMs, Optional<String> database) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), ServerProcessMain.class.getName(), dataDir.toString(),
                Long.toString(deployStepDelayMs)));
        database.ifPresent(command::add);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            return new ServerProcess(child, port(child));
        } catch (RuntimeException | Error e) {
            child.destroyForcibly();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the process gets no chance to clean up, like a power cut. Returns once it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("server process " + process.pid() + " did not die on SIGKILL");
        }
    }

    /** Stops it the orderly way (end of its input), or kills it when that takes too long. */
    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private static int port(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 500; i++) { // bounded: the server prints its port within a few seconds
            String line = out.readLine();
            if (line == null) {
                break;
            }
            if (line.startsWith("PORT ")) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining so the child never blocks
                return Integer.parseInt(line.substring(5).strip());
            }
            seen.add(line);
        }
        throw new AssertionError("the server process did not start: " + String.join("\n", seen));
    }
}
