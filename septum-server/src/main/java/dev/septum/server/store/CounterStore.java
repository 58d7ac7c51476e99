package dev.septum.server.store;

import dev.septum.server.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Per-rule hit counters as a time series: every poll stores one sample per counter. */
public final class CounterStore {
    /** @param rule {@code policy/rule} as the renderer commented the counter */
    public record Sample(String device, String at, String match, String rule, long packets, long bytes) {
    }

    private final Database db;

    public CounterStore(Database db) {
        this.db = db;
    }

    public void add(List<Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        db.write(h -> {
            var insert = h.prepareBatch("INSERT INTO rule_counters (device, at, match_name, rule, packets, bytes) "
                    + "VALUES (:device, :at, :match, :rule, :packets, :bytes)");
            samples.forEach(s -> insert.bind("device", s.device()).bind("at", s.at()).bind("match", s.match()).bind("rule", s.rule())
                    .bind("packets", s.packets()).bind("bytes", s.bytes()).add());
            insert.execute();
            return null;
        });
    }

    /**
     * Every device's polls at or after {@code since} (ISO instant), oldest first, each device's with
     * its newest poll before {@code since} too: the baseline its first counts in the window grow from.
     */
    public List<Sample> since(String since) {
        return db.read(h -> h.createQuery("SELECT device, at, match_name, rule, packets, bytes FROM rule_counters c "
                        + "WHERE at >= COALESCE((SELECT MAX(at) FROM rule_counters b WHERE b.device = c.device AND b.at < :since), :since) "
                        + "ORDER BY device, at, match_name")
                .bind("since", since)
                .map((rs, ctx) -> sample(rs)).list());
    }

    /** The newest {@code polls} polls of a device, oldest first. */
    public List<Sample> recent(String device, int polls) {
        return db.read(h -> h.createQuery("SELECT device, at, match_name, rule, packets, bytes FROM rule_counters "
                        + "WHERE device = :device AND at IN (SELECT DISTINCT at FROM rule_counters WHERE device = :device "
                        + "ORDER BY at DESC LIMIT :polls) ORDER BY at, match_name")
                .bind("device", device).bind("polls", polls)
                .map((rs, ctx) -> sample(rs)).list());
    }

    private static Sample sample(ResultSet rs) throws SQLException {
        return new Sample(rs.getString("device"), rs.getString("at"), rs.getString("match_name"), rs.getString("rule"),
                rs.getLong("packets"), rs.getLong("bytes"));
    }
}
