package dev.septum.cli;

import dev.septum.model.validate.Diagnostic;
import dev.septum.model.validate.Severity;
import java.io.PrintWriter;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Prints validation findings as {@code file:line:col: error: ...} lines or as JSON. */
final class DiagnosticPrinter {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private DiagnosticPrinter() {
    }

    static void text(PrintWriter out, List<Diagnostic> diagnostics) {
        diagnostics.forEach(d -> out.println(d.format()));
        out.println(summary(diagnostics));
        out.flush();
    }

    static String summary(List<Diagnostic> diagnostics) {
        long errors = count(diagnostics, Severity.ERROR);
        long warnings = count(diagnostics, Severity.WARNING);
        return errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning" + (warnings == 1 ? "" : "s");
    }

    static ObjectNode json(List<Diagnostic> diagnostics) {
        ObjectNode root = JSON.createObjectNode();
        root.put("errors", count(diagnostics, Severity.ERROR));
        root.put("warnings", count(diagnostics, Severity.WARNING));
        ArrayNode list = root.putArray("diagnostics");
        for (Diagnostic d : diagnostics) {
            ObjectNode n = list.addObject();
            n.put("severity", d.severity().keyword());
            n.put("file", d.at().source());
            n.put("line", d.at().line());
            n.put("column", d.at().column());
            n.put("object", d.object());
            n.put("field", d.field());
            n.put("problem", d.problem());
            n.put("fix", d.fix());
        }
        return root;
    }

    private static long count(List<Diagnostic> diagnostics, Severity severity) {
        return diagnostics.stream().filter(d -> d.severity() == severity).count();
    }
}
