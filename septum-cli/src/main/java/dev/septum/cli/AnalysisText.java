package dev.septum.cli;

import dev.septum.verify.Level;
import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.Analysis.Column;
import dev.septum.verify.analysis.Analysis.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Any analysis as text for a terminal, from its columns alone: a heading, each table's short
 * columns aligned under their titles, each row's long values (detail columns) indented below it,
 * then the notes. Nothing here knows which analysis it prints.
 */
final class AnalysisText {
    private static final String GAP = "  ";
    private static final String INDENT = "    ";

    private AnalysisText() {
    }

    static void print(PrintWriter out, Analysis analysis) {
        out.println(analysis.title());
        for (Table table : analysis.tables()) {
            if (table.rows().isEmpty()) {
                continue;
            }
            out.println();
            if (analysis.tables().size() > 1) {
                out.println(table.title() + ":");
            }
            table(out, table);
        }
        if (!analysis.notes().isEmpty()) {
            out.println();
        }
        analysis.notes().forEach(n -> out.println(n.level() == Level.INFO ? n.text() : n.level().keyword() + ": " + n.text()));
    }

    private static void table(PrintWriter out, Table table) {
        List<Integer> inRow = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            if (!table.columns().get(i).detail()) {
                inRow.add(i);
            }
        }
        int[] widths = new int[inRow.size()];
        for (int c = 0; c < inRow.size(); c++) {
            widths[c] = heading(table.columns().get(inRow.get(c))).length();
            for (List<Object> row : table.rows()) {
                widths[c] = Math.max(widths[c], cell(row.get(inRow.get(c))).length());
            }
        }
        out.println(line(inRow.stream().map(i -> heading(table.columns().get(i))).toList(), widths));
        for (List<Object> row : table.rows()) {
            out.println(line(inRow.stream().map(i -> cell(row.get(i))).toList(), widths));
            for (int i = 0; i < row.size(); i++) {
                Column column = table.columns().get(i);
                if (column.detail()) {
                    detail(out, column, row.get(i));
                }
            }
        }
    }

    private static void detail(PrintWriter out, Column column, Object value) {
        if (value == null || value instanceof List<?> list && list.isEmpty()) {
            return;
        }
        if (column.type() == Analysis.Type.LINES) {
            out.println(INDENT + column.title() + ":");
            ((List<?>) value).forEach(line -> out.println(INDENT + GAP + line));
        } else {
            out.println(INDENT + column.title() + ": " + cell(value));
        }
    }

    private static String heading(Column column) {
        return column.title().toUpperCase(Locale.ROOT);
    }

    private static String cell(Object value) {
        return switch (value) {
            case null -> "-";
            case Boolean b -> b ? "yes" : "no";
            case List<?> list -> list.isEmpty() ? "-" : String.join(", ", list.stream().map(String::valueOf).toList());
            default -> value.toString();
        };
    }

    /** Cells padded to their column's width, the last one not, so no line ends in blanks. */
    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            line.append(c == cells.size() - 1 ? cells.get(c) : String.format("%-" + widths[c] + "s", cells.get(c))).append(c == cells.size() - 1 ? "" : GAP);
        }
        return line.toString();
    }
}
