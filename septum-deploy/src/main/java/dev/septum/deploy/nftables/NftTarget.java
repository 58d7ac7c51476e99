package dev.septum.deploy.nftables;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where {@code nft} runs: this host, a network namespace on it (the lab's devices), or a Linux host
 * reached over SSH.
 */
public sealed interface NftTarget {
    String describe();

    /** Targets on this machine: {@code nft} runs as a local process behind a command prefix. */
    sealed interface Local extends NftTarget {
        /** The command prefix that makes {@code nft ...} run on the target. */
        List<String> prefix();

        default List<String> nft(String... args) {
            List<String> command = new ArrayList<>(prefix());
            command.add("nft");
            command.addAll(List.of(args));
            return command;
        }
    }

    record LocalHost() implements Local {
        public List<String> prefix() {
            return List.of();
        }

        public String describe() {
            return "this host";
        }
    }

    record Namespace(String name) implements Local {
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

        public Namespace {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("network namespace '" + name
                        + "': use letters, digits, '_', '-' and '.' (at most 63 characters)");
            }
        }

        public List<String> prefix() {
            return List.of("ip", "netns", "exec", name);
        }

        public String describe() {
            return "network namespace " + name;
        }
    }

    /**
     * A remote Linux host: {@code nft} runs through an SSH exec channel as {@code user}, which needs
     * CAP_NET_ADMIN there, or, with {@code sudo}, as {@code sudo -n nft ...} for a user allowed to
     * run nft without a password (a NOPASSWD sudoers rule; {@code -n} makes sudo fail instead of
     * waiting for a password no one will type). The host key is always verified; the secret is read
     * from the named environment variable at connect time and never stored.
     */
    record Ssh(String host, int port, String user, HostKeys hostKeys, Auth auth, boolean sudo) implements NftTarget {
        private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,253}");
        private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

        public Ssh {
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("ssh host '" + host + "': use a host name or an IP address");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("ssh port " + port + ": use 1-65535");
            }
            if (!USER.matcher(user).matches()) {
                throw new IllegalArgumentException("ssh user '" + user + "': use a Linux user name");
            }
        }

        /** Without sudo: the user itself has CAP_NET_ADMIN (root, or a capability granted to nft). */
        public Ssh(String host, int port, String user, HostKeys hostKeys, Auth auth) {
            this(host, port, user, hostKeys, auth, false);
        }

        public String describe() {
            return user + "@" + host + ":" + port + " over SSH" + (sudo ? " (sudo)" : "");
        }
    }

    /** How the server's host key is checked. There is deliberately no "accept anything" option. */
    sealed interface HostKeys {
        /** An OpenSSH known_hosts file (plain or hashed host names). */
        record KnownHosts(Path file) implements HostKeys {
        }

        /** One public key in OpenSSH form ({@code ssh-ed25519 AAAA...}), pinned in the target's config. */
        record Pinned(String publicKey) implements HostKeys {
        }

        static HostKeys userKnownHosts() {
            return new KnownHosts(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        }
    }

    /** The login secret: only the name of the environment variable holding it is configuration. */
    sealed interface Auth {
        String environmentVariable();

        /** The variable holds the password. */
        record Password(String environmentVariable) implements Auth {
        }

        /** The variable holds an unencrypted OpenSSH or PEM private key (the file's text). */
        record PrivateKey(String environmentVariable) implements Auth {
        }
    }
}
