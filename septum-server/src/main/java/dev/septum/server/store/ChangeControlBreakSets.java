package dev.septum.server.store;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The break-set each change control was submitted with, as the analysis document (JSON), and who
 * acknowledged breaking observed sessions: what review and approval show, kept as it was at submit.
 */
public final class ChangeControlBreakSets {
    /** @param acknowledgedBy the submitter, when the break-set was not empty and they acknowledged it */
    public record Kept(String analysisJson, Optional<String> acknowledgedBy) {
    }

    private ChangeControlBreakSets() {
    }

    public static void put(Handle h, long changeControlId, Kept kept) {
        h.createUpdate("INSERT INTO change_control_breaksets (change_control_id, acknowledged_by, analysis) VALUES (:id, :by, :analysis)")
                .bind("id", changeControlId).bind("by", kept.acknowledgedBy().orElse(null)).bind("analysis", kept.analysisJson()).execute();
    }

    public static Optional<Kept> get(Handle h, long changeControlId) {
        return h.createQuery("SELECT acknowledged_by, analysis FROM change_control_breaksets WHERE change_control_id = :id")
                .bind("id", changeControlId)
                .map((rs, ctx) -> new Kept(rs.getString("analysis"), Optional.ofNullable(rs.getString("acknowledged_by")))).findOne();
    }
}
