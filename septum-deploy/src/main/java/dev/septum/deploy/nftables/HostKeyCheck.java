package dev.septum.deploy.nftables;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Accepts the server's host key only if the target's known_hosts file or pinned key lists it, and
 * remembers why it refused so the caller can say exactly what to fix (MINA itself only reports
 * "Server key did not validate").
 */
final class HostKeyCheck implements ServerKeyVerifier {
    private final NftTarget.Ssh target;
    private volatile String refusal;

    HostKeyCheck(NftTarget.Ssh target) {
        this.target = target;
    }

    /** Why the last key was refused, or null if none was. */
    String refusal() {
        return refusal;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        String offered = KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
        String line = PublicKeyEntry.toString(key);
        refusal = switch (target.hostKeys()) {
            case NftTarget.HostKeys.Pinned pinned -> KeyUtils.compareKeys(parse(pinned.publicKey()), key) ? null
                    : "host key of " + where() + " (" + offered + ") does not match the key pinned in the target's"
                            + " host_key; if the device was legitimately re-keyed, verify the new key out of band and"
                            + " pin it: " + line;
            case NftTarget.HostKeys.KnownHosts known -> checkKnownHosts(known, key, offered, line);
        };
        return refusal == null;
    }

    private String checkKnownHosts(NftTarget.HostKeys.KnownHosts known, PublicKey key, String offered, String line) {
        List<KnownHostEntry> entries;
        try {
            entries = Files.exists(known.file()) ? KnownHostEntry.readKnownHostEntries(known.file()) : List.of();
        } catch (IOException | RuntimeException e) {
            return "cannot read known_hosts file " + known.file() + ": " + e.getMessage();
        }
        boolean hostListed = false;
        for (KnownHostEntry entry : entries) {
            // markers (@revoked, @cert-authority) are not host keys to trust
            if (entry.getMarker() != null || !entry.isHostMatch(target.host(), target.port())) {
                continue;
            }
            hostListed = true;
            if (KeyUtils.compareKeys(resolve(entry), key)) {
                return null;
            }
        }
        String hostField = target.port() == 22 ? target.host() : "[" + target.host() + "]:" + target.port();
        return hostListed
                ? "host key of " + where() + " (" + offered + ") differs from the one in " + known.file()
                        + " (possible man-in-the-middle); if the device was re-keyed, verify the new key out of band"
                        + " and replace its line with: " + hostField + " " + line
                : "host key of " + where() + " (" + offered + ") is unknown: it is not in " + known.file()
                        + "; verify it out of band, then add this line to that file: " + hostField + " " + line
                        + " (or pin the key in the target's host_key)";
    }

    private String where() {
        return target.host() + ":" + target.port();
    }

    private static PublicKey resolve(KnownHostEntry entry) {
        try {
            return entry.getKeyEntry().resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new SshTargetException("cannot parse a key in the known_hosts file: " + e.getMessage(), e);
        }
    }

    private static PublicKey parse(String openSshKey) {
        try {
            return PublicKeyEntry.parsePublicKeyEntry(openSshKey.strip())
                    .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new SshTargetException("cannot parse the pinned or known host key '" + openSshKey + "': " + e.getMessage(), e);
        }
    }
}
