package dev.septum.server.deploy;

import dev.septum.deploy.nftables.NftTarget;
import dev.septum.deploy.nftables.NftablesDriver;
import dev.septum.server.store.TargetStore.Target;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a stored nftables target ({@code nftables} or {@code nftables-ssh}) into a driver. */
public final class NftTargets {
    public static final String LOCAL = "nftables";
    public static final String SSH = "nftables-ssh";
    private static final Pattern ADDRESS = Pattern.compile("([^@\\s]+)@([^@\\s:]+|\\[[0-9A-Fa-f:]+\\])(?::(\\d{1,5}))?");

    private NftTargets() {
    }

    public static boolean isNftables(Target target) {
        return target.driver().equals(LOCAL) || target.driver().equals(SSH);
    }

    /** {@code secrets} resolves the variable named by an SSH target (the process environment in production). */
    public static NftablesDriver driver(Target target, Function<String, Optional<String>> secrets) {
        NftTarget nft = target.driver().equals(SSH)
                ? ssh(target.address(), target.hostKey(), target.sshAuth(), target.credentialsEnv(), target.sudo())
                : new NftTarget.Namespace(target.address());
        return new NftablesDriver(nft, name -> secrets.apply(name).orElse(null));
    }

    /**
     * @param address {@code user@host[:port]}
     * @param hostKey a pinned OpenSSH public key line; empty: the server user's known_hosts
     * @param auth    {@code password} or {@code key}
     * @param sudo    run {@code sudo -n nft} instead of {@code nft}
     */
    public static NftTarget.Ssh ssh(String address, String hostKey, String auth, String credentialsEnv, boolean sudo) {
        Matcher m = ADDRESS.matcher(address);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + address + "' is not user@host[:port]");
        }
        String host = m.group(2).replaceAll("[\\[\\]]", "");
        int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        NftTarget.HostKeys keys = hostKey.isBlank() ? NftTarget.HostKeys.userKnownHosts() : new NftTarget.HostKeys.Pinned(hostKey);
        NftTarget.Auth login = switch (auth) {
            case "password" -> new NftTarget.Auth.Password(credentialsEnv);
            case "key" -> new NftTarget.Auth.PrivateKey(credentialsEnv);
            default -> throw new IllegalArgumentException("ssh auth '" + auth + "': use password or key");
        };
        return new NftTarget.Ssh(host, port, m.group(1), keys, login, sudo);
    }
}
