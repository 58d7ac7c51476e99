package dev.septum.server.store;

import dev.septum.server.db.Database;
import java.util.List;
import java.util.Optional;

/** Where each device is deployed. A device without a target is never deployed, only reported. */
public final class TargetStore {
    /** @param address a network namespace name for the nftables driver */
    public record Target(String device, String driver, String address, String family) {
    }

    private final Database db;

    public TargetStore(Database db) {
        this.db = db;
    }

    public void put(String actor, Target target) {
        db.write(h -> {
            h.createUpdate("DELETE FROM device_targets WHERE device = :d").bind("d", target.device()).execute();
            h.createUpdate("INSERT INTO device_targets (device, driver, address, family) VALUES (:d, :driver, :address, :family)")
                    .bind("d", target.device()).bind("driver", target.driver()).bind("address", target.address())
                    .bind("family", target.family()).execute();
            AuditLog.append(h, actor, "target.put", "device " + target.device(),
                    target.driver() + " " + target.address() + " " + target.family());
            return null;
        });
    }

    public Optional<Target> get(String device) {
        return db.read(h -> h.createQuery("SELECT device, driver, address, family FROM device_targets WHERE device = :d")
                .bind("d", device).map((rs, ctx) -> target(rs)).findOne());
    }

    public List<Target> list() {
        return db.read(h -> h.createQuery("SELECT device, driver, address, family FROM device_targets ORDER BY device")
                .map((rs, ctx) -> target(rs)).list());
    }

    private static Target target(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Target(rs.getString("device"), rs.getString("driver"), rs.getString("address"), rs.getString("family"));
    }
}
