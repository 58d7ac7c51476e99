package dev.septum.deploy.nftables;

import dev.septum.deploy.Commands;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Runs one {@code nft} command on an SSH target: connect, verify the host key, log in, exec, close.
 * One connection per command keeps no session state to go stale between the check and the commit;
 * the commit is still atomic because nft applies the whole script in one transaction.
 */
final class SshNft {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.,:/=@+-]+");

    private final NftTarget.Ssh target;
    private final UnaryOperator<String> environment;

    SshNft(NftTarget.Ssh target, UnaryOperator<String> environment) {
        this.target = target;
        this.environment = environment;
    }

    Commands.Result run(Duration timeout, String stdin, String... args) {
        List<String> command = new ArrayList<>(target.sudo() ? List.of("sudo", "-n", "nft") : List.of("nft"));
        command.addAll(List.of(args));
        String remote = String.join(" ", command.stream().map(SshNft::quote).toList());
        long millis = timeout.toMillis();
        HostKeyCheck hostKeys = new HostKeyCheck(target);
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys);
        client.start();
        try (ClientSession session = client.connect(target.user(), target.host(), target.port()).verify(millis).getSession()) {
            login(session);
            try {
                session.auth().verify(millis);
            } catch (IOException e) {
                if (hostKeys.refusal() != null) {
                    throw new SshTargetException(hostKeys.refusal(), e);
                }
                throw new SshTargetException("ssh login to " + target.describe() + " failed (" + e.getMessage()
                        + "); check the user and the secret in $" + target.auth().environmentVariable(), e);
            }
            return sudoChecked(exec(session, remote, command, stdin, millis));
        } catch (IOException e) {
            if (hostKeys.refusal() != null) {
                throw new SshTargetException(hostKeys.refusal(), e);
            }
            throw new SshTargetException("ssh to " + target.describe() + " failed: " + e.getMessage(), e);
        } finally {
            client.stop();
        }
    }

    private Commands.Result exec(ClientSession session, String remote, List<String> command, String stdin, long millis)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(remote)) {
            // an empty stdin still sends EOF, so a command that reads stdin cannot wait forever
            channel.setIn(new ByteArrayInputStream(stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8)));
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(millis);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), millis);
            List<String> shown = new ArrayList<>(List.of("ssh", target.user() + "@" + target.host()));
            shown.addAll(command);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                return new Commands.Result(shown, 124, out.toString(StandardCharsets.UTF_8),
                        "timed out after " + millis / 1000 + " s");
            }
            Integer status = channel.getExitStatus();
            return new Commands.Result(shown, status == null ? 255 : status,
                    out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * sudo's own refusals are not nft errors: they say nothing about the ruleset, so they are
     * thrown as target errors with the sudoers line that fixes them (the device stays unchanged).
     */
    private Commands.Result sudoChecked(Commands.Result result) {
        if (!target.sudo() || result.ok()) {
            return result;
        }
        String err = result.stderr();
        String fix = " Fix: allow it without a password, e.g. with visudo -f /etc/sudoers.d/septum: "
                + target.user() + " ALL=(root) NOPASSWD: /usr/sbin/nft";
        if (err.contains("a password is required") || err.contains("a terminal is required")) {
            throw new SshTargetException("sudo on " + target.describe() + " asks " + target.user()
                    + " for a password to run nft, and Septum never types one (it runs sudo -n)." + fix);
        }
        if (err.contains("is not in the sudoers file") || err.contains("is not allowed to execute")
                || err.contains("may not run sudo")) {
            throw new SshTargetException("sudo on " + target.describe() + " does not allow " + target.user()
                    + " to run nft: " + err.strip() + "." + fix);
        }
        if (result.exitCode() == 127 && err.contains("sudo")) {
            throw new SshTargetException("sudo is not installed on " + target.describe() + " (" + err.strip()
                    + "). Fix: install it (apt-get install sudo) and add the NOPASSWD rule for /usr/sbin/nft, or set"
                    + " sudo: false for a user that has CAP_NET_ADMIN");
        }
        return result;
    }

    /** Adds the secret from the environment; the secret itself never goes into a message or a log. */
    private void login(ClientSession session) {
        String variable = target.auth().environmentVariable();
        String secret = environment.apply(variable);
        if (secret == null || secret.isEmpty()) {
            throw new SshTargetException("environment variable " + variable + " is not set; it must hold the "
                    + switch (target.auth()) {
                        case NftTarget.Auth.Password p -> "password";
                        case NftTarget.Auth.PrivateKey k -> "private key (the key file's text)";
                    } + " for " + target.describe());
        }
        switch (target.auth()) {
            case NftTarget.Auth.Password p -> session.addPasswordIdentity(secret);
            case NftTarget.Auth.PrivateKey k -> {
                try (InputStream in = new ByteArrayInputStream(secret.getBytes(StandardCharsets.UTF_8))) {
                    Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(session,
                            NamedResource.ofName("$" + variable), in, null);
                    if (keys == null || !keys.iterator().hasNext()) {
                        throw new SshTargetException("$" + variable + " holds no private key");
                    }
                    keys.forEach(session::addPublicKeyIdentity);
                } catch (IOException | GeneralSecurityException e) {
                    // the parser's message names the format problem, not the key material
                    throw new SshTargetException("cannot read the private key in $" + variable
                            + " (an unencrypted OpenSSH or PEM key is expected): " + e.getClass().getSimpleName(), e);
                }
            }
        }
    }

    /** Quotes for the remote POSIX shell, which is how OpenSSH servers run exec requests. */
    static String quote(String arg) {
        return PLAIN.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
