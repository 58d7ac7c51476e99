package dev.septum.server.ui;

import dev.septum.server.api.ApiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A refusal's diagnostics (the loader's, in the CLI's words) placed at the object and field they name. */
final class Diagnostics {
    private Diagnostics() {
    }

    /**
     * One problem: the object and field the loader named, and its message as the CLI prints it
     * (file:line:col: error: object, field: problem. Fix: fix).
     */
    record Placed(String object, String field, String message) {
        /** Whether it is about {@code field} of the {@code singular} named {@code name} (a rule's: "rule 'x' in policy 'p'"). */
        boolean at(String singular, String name, String key) {
            boolean sameObject = object.equals(singular + " '" + name + "'") || object.startsWith(singular + " '" + name + "' ");
            String head = field.split("[.\\[]", 2)[0];
            return (sameObject || object.isEmpty()) && head.equals(key);
        }
    }

    static List<Placed> of(ApiError e) {
        List<Placed> placed = new ArrayList<>();
        if (e.details().get("diagnostics") instanceof List<?> all) {
            for (Object d : all) {
                if (d instanceof Map<?, ?> m && "error".equals(m.get("severity"))) {
                    placed.add(new Placed(String.valueOf(m.get("object")), String.valueOf(m.get("field")), String.valueOf(m.get("message"))));
                }
            }
        }
        if (placed.isEmpty()) {
            placed.add(new Placed("", e.field(), e.field() + " " + e.getMessage() + ". Fix: " + e.fix()));
        }
        return placed;
    }
}
