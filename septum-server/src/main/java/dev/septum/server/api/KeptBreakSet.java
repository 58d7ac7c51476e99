package dev.septum.server.api;

import dev.septum.server.store.ChangeControlBreakSets;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The break-set a change control keeps from its submit, for the API, the review text and the web UI's change page. */
public final class KeptBreakSet {
    private KeptBreakSet() {
    }

    /** The break-set a change control was submitted with, as its document plus {@code acknowledgedBy}; empty when none was kept. */
    public static Optional<JsonNode> of(Services s, long id) {
        return s.db().read(h -> ChangeControlBreakSets.get(h, id)).map(kept -> {
            ObjectNode view = (ObjectNode) Json.read(kept.analysisJson());
            view.put("acknowledgedBy", kept.acknowledgedBy().orElse(null));
            return view;
        });
    }

    /** A kept break-set as review text: its first note, who acknowledged it, and each broken group of sessions with examples. */
    public static String text(JsonNode kept) {
        StringBuilder text = new StringBuilder("break-set at submit: ").append(kept.path("notes").path(0).path("text").asString(""));
        if (!kept.path("acknowledgedBy").isNull()) {
            text.append(" (acknowledged by ").append(kept.path("acknowledgedBy").asString()).append(")");
        }
        text.append('\n');
        for (JsonNode row : kept.path("tables").path(0).path("rows")) {
            text.append("  ").append(row.path("kind").asString()).append(' ').append(row.path("direction").asString()).append(' ')
                    .append(row.path("clientGroups")).append(" -> ").append(row.path("serverGroups")).append(' ')
                    .append(row.path("service").asString()).append(": ").append(row.path("sessions").asLong()).append(" session(s) at ")
                    .append(row.path("enforcedAt").asString()).append(", decided after by ").append(row.path("decidedAfter").asString())
                    .append('\n');
            row.path("examples").forEach(e -> text.append("    e.g. ").append(e.asString()).append('\n'));
        }
        return text.append('\n').toString();
    }
}
