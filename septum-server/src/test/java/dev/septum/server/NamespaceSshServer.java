package dev.septum.server;

import dev.septum.deploy.nftables.NamespaceExecCommand;
import java.io.IOException;
import java.security.KeyPair;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;

/**
 * A Linux device for the server's SSH driver: an in-process MINA SSH server on 127.0.0.1 (random
 * port, password login) that runs every exec request as {@code ip netns exec NS sh -c COMMAND}.
 */
final class NamespaceSshServer implements AutoCloseable {
    private final SshServer server;
    private final KeyPair hostKey;
    /** Every command received, as sent. */
    final List<String> commands = new CopyOnWriteArrayList<>();
    /** Run commands as nobody, as a non-root login would (then sudo wants a password). */
    volatile boolean unprivileged;

    NamespaceSshServer(String namespace, String user, String password) throws IOException, GeneralSecurityException {
        hostKey = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((u, p, session) -> user.equals(u) && password.equals(p));
        server.setCommandFactory((channel, command) -> {
            commands.add(command);
            return new NamespaceExecCommand(namespace, command, unprivileged);
        });
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
}
