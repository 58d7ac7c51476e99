package dev.septum.server.store;

import dev.septum.server.db.Database;
import java.util.List;
import java.util.Optional;

/** Where each device is deployed. A device without a target is never deployed, only reported. */
public final class TargetStore {
    /**
     * @param address        a network namespace name (nftables) or the device's https URL (eapi)
     * @param family         the nftables table family (inet, bridge); empty for eapi
     * @param certificate    eapi: the device's TLS certificate in PEM, pinned (the only one trusted)
     * @param credentialsEnv eapi: the server environment variable holding {@code user:password};
     *                       nftables-ssh: the one holding the password or the private key
     * @param hostKey        nftables-ssh: the pinned host key (OpenSSH line); empty: the server's known_hosts
     * @param sshAuth        nftables-ssh: {@code password} or {@code key}
     * @param sudo           nftables-ssh: run {@code sudo -n nft} (a non-root login with a NOPASSWD rule for nft)
     */
    public record Target(String device, String driver, String address, String family, String certificate, String credentialsEnv,
                         String hostKey, String sshAuth, boolean sudo) {
        public Target(String device, String driver, String address, String family, String certificate, String credentialsEnv) {
            this(device, driver, address, family, certificate, credentialsEnv, "", "", false);
        }

        public static Target nftables(String device, String namespace, String family) {
            return new Target(device, "nftables", namespace, family, "", "");
        }
    }

    private final Database db;

    public TargetStore(Database db) {
        this.db = db;
    }

    public void put(String actor, Target target) {
        db.write(h -> {
            h.createUpdate("DELETE FROM device_targets WHERE device = :d").bind("d", target.device()).execute();
            h.createUpdate("INSERT INTO device_targets (device, driver, address, family, certificate, credentials_env, host_key, ssh_auth, sudo) "
                            + "VALUES (:d, :driver, :address, :family, :cert, :env, :hostKey, :sshAuth, :sudo)")
                    .bind("d", target.device()).bind("driver", target.driver()).bind("address", target.address())
                    .bind("family", target.family()).bind("cert", target.certificate()).bind("env", target.credentialsEnv())
                    .bind("hostKey", target.hostKey()).bind("sshAuth", target.sshAuth()).bind("sudo", target.sudo()).execute();
            AuditLog.append(h, actor, "target.put", "device " + target.device(),
                    target.driver() + " " + target.address() + " " + target.family() + (target.sudo() ? " sudo" : ""));
            return null;
        });
    }

    public Optional<Target> get(String device) {
        return db.read(h -> h.createQuery("SELECT device, driver, address, family, certificate, credentials_env, host_key, ssh_auth, sudo FROM device_targets WHERE device = :d")
                .bind("d", device).map((rs, ctx) -> target(rs)).findOne());
    }

    public List<Target> list() {
        return db.read(h -> h.createQuery("SELECT device, driver, address, family, certificate, credentials_env, host_key, ssh_auth, sudo FROM device_targets ORDER BY device")
                .map((rs, ctx) -> target(rs)).list());
    }

    private static Target target(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Target(rs.getString("device"), rs.getString("driver"), rs.getString("address"), rs.getString("family"),
                rs.getString("certificate"), rs.getString("credentials_env"),
                rs.getString("host_key"), rs.getString("ssh_auth"), rs.getBoolean("sudo"));
    }
}
