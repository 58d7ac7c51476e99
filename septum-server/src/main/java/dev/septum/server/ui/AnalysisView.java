package dev.septum.server.ui;

import dev.septum.verify.analysis.Analysis;
import java.util.ArrayList;
import java.util.List;

/**
 * Any {@link Analysis} laid out for a page: each table's columns in order, the detail columns as
 * lines below their row, each cell's text as its column's type reads. The one renderer of trace,
 * check, reach and diff alike, so a new analysis needs no page of its own.
 */
public record AnalysisView(String kind, String title, List<Pair> subject, List<TableView> tables, List<NoteView> notes) {
    public record Pair(String key, String value) {
    }

    /** @param type the column type's keyword (text, number, flag, list, lines): the cell's CSS class */
    public record Column(String key, String title, String type) {
    }

    /** @param lines the value as lines, for a {@code lines} column; empty otherwise */
    public record Cell(String text, List<String> lines) {
        public boolean empty() {
            return text.isEmpty() && lines.isEmpty();
        }
    }

    public record Detail(Column column, Cell cell) {
    }

    public record Row(List<Cell> cells, List<Detail> below) {
    }

    public record TableView(String name, String title, List<Column> columns, List<Row> rows) {
    }

    public record NoteView(String level, String text) {
    }

    static AnalysisView of(Analysis a) {
        List<Pair> subject = a.subject().entrySet().stream().map(e -> new Pair(e.getKey(), e.getValue())).toList();
        return new AnalysisView(a.kind(), a.title(), subject, a.tables().stream().map(AnalysisView::table).toList(),
                a.notes().stream().map(n -> new NoteView(n.level().keyword(), n.text())).toList());
    }

    private static TableView table(Analysis.Table t) {
        List<Column> shown = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        t.columns().stream().filter(c -> !c.detail()).forEach(c -> shown.add(column(c)));
        for (List<Object> values : t.rows()) {
            List<Cell> cells = new ArrayList<>();
            List<Detail> below = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                Analysis.Column c = t.columns().get(i);
                Cell cell = cell(c.type(), values.get(i));
                if (!c.detail()) {
                    cells.add(cell);
                } else if (!cell.empty()) {
                    below.add(new Detail(column(c), cell));
                }
            }
            rows.add(new Row(cells, below));
        }
        return new TableView(t.name(), t.title(), shown, rows);
    }

    private static Column column(Analysis.Column c) {
        return new Column(c.key(), c.title(), c.type().keyword());
    }

    private static Cell cell(Analysis.Type type, Object value) {
        if (value == null) {
            return new Cell("", List.of());
        }
        return switch (type) {
            case TEXT -> new Cell((String) value, List.of());
            case NUMBER -> new Cell(String.valueOf(value), List.of());
            case FLAG -> new Cell((Boolean) value ? "yes" : "no", List.of());
            case LIST -> new Cell(String.join(", ", strings(value)), List.of());
            case LINES -> new Cell("", strings(value));
        };
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        // Analysis.Table checked the type when it was made: a list of strings
        return (List<String>) value;
    }
}
