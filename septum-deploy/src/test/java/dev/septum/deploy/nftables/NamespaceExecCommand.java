package dev.septum.deploy.nftables;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * The exec handler of the test SSH servers: runs each command as {@code ip netns exec NS sh -c
 * COMMAND} with the streams piped both ways, so what the SSH driver sends lands in a real kernel.
 * Shared through this module's test-jar with the server's SSH deploy tests.
 */
public final class NamespaceExecCommand implements Command {
    private final String ns;
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    private final boolean unprivileged;

    public NamespaceExecCommand(String ns, String command) {
        this(ns, command, false);
    }

    /**
     * @param unprivileged run as {@code nobody} (setpriv), as a non-root SSH login would: nft then
     *                     lacks CAP_NET_ADMIN, and the real sudo asks nobody for a password
     */
    public NamespaceExecCommand(String ns, String command, boolean unprivileged) {
        this.ns = ns;
        this.command = command;
        this.unprivileged = unprivileged;
    }

    public void setInputStream(InputStream in) {
        this.in = in;
    }

    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    public void setExitCallback(ExitCallback exit) {
        this.exit = exit;
    }

    public void start(ChannelSession channel, Environment env) {
        Thread.ofVirtual().start(() -> {
            int code = 255;
            try {
                List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
                if (unprivileged) {
                    argv.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
                }
                argv.addAll(List.of("sh", "-c", command));
                Process p = new ProcessBuilder(argv).start();
                Thread.ofVirtual().start(() -> {
                    try (OutputStream stdin = p.getOutputStream()) {
                        in.transferTo(stdin);
                    } catch (IOException ignored) {
                        // the command exited without reading all of stdin
                    }
                });
                Thread errCopy = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
                copy(p.getInputStream(), out);
                errCopy.join();
                code = p.waitFor();
            } catch (IOException | InterruptedException e) {
                code = 255;
            } finally {
                exit.onExit(code);
            }
        });
    }

    private static void copy(InputStream from, OutputStream to) {
        try {
            from.transferTo(to);
            to.flush();
        } catch (IOException ignored) {
            // the channel closed; the exit status still tells the story
        }
    }

    public void destroy(ChannelSession channel) {
    }
}
