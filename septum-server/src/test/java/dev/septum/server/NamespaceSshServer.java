package dev.septum.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyPair;
import java.security.GeneralSecurityException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A Linux device for the server's SSH driver: an in-process MINA SSH server on 127.0.0.1 (random
 * port, password login) that runs every exec request as {@code ip netns exec NS sh -c COMMAND}.
 */
final class NamespaceSshServer implements AutoCloseable {
    private final SshServer server;
    private final KeyPair hostKey;

    NamespaceSshServer(String namespace, String user, String password) throws IOException, GeneralSecurityException {
        hostKey = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((u, p, session) -> user.equals(u) && password.equals(p));
        server.setCommandFactory((channel, command) -> new InNamespace(namespace, command));
        server.start();
    }

    int port() {
        return server.getPort();
    }

    /** The host key as an OpenSSH line, to pin. */
    String hostKey() {
        return PublicKeyEntry.toString(hostKey.getPublic());
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private static final class InNamespace implements Command {
        private final String ns;
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        InNamespace(String ns, String command) {
            this.ns = ns;
            this.command = command;
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
                    Process p = new ProcessBuilder("ip", "netns", "exec", ns, "sh", "-c", command).start();
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
}
