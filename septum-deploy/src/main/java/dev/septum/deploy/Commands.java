package dev.septum.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a system command with a time bound and captures its output. Every driver call goes
 * through here so a hung tool can never hang a deploy, a lab or a test.
 */
public final class Commands {
    private Commands() {
    }

    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The output a user needs to see when the command failed. */
        public String failure() {
            return String.join(" ", command) + " exited " + exitCode + ": "
                    + (stderr.isBlank() ? stdout : stderr).strip();
        }
    }

    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, command, null);
    }

    /** Runs {@code command}, feeding {@code stdin} when given; kills it after {@code timeout}. */
    public static Result run(Duration timeout, List<String> command, String stdin) {
        ProcessBuilder pb = new ProcessBuilder(command);
        try {
            Process p = pb.start();
            // read both streams concurrently so a full pipe cannot block the process
            StringBuilder errBuf = new StringBuilder();
            Thread err = Thread.ofVirtual().start(() -> errBuf.append(readQuietly(p.getErrorStream())));
            StringBuilder outBuf = new StringBuilder();
            Thread outReader = Thread.ofVirtual().start(() -> outBuf.append(readQuietly(p.getInputStream())));
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                outReader.join(1000);
                err.join(1000);
                return new Result(command, 124, outBuf.toString(), "timed out after " + timeout.toSeconds() + " s");
            }
            outReader.join();
            err.join();
            return new Result(command, p.exitValue(), outBuf.toString(), errBuf.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String readQuietly(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
