package dev.septum.verify.analysis;

import dev.septum.verify.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The one answer shape of {@code trace}, {@code check}, {@code reach} and {@code diff}: tables
 * of rows under named, typed columns, and notes. A text table, a JSON document or a web page
 * renders any analysis from it without knowing which one it is, so the CLI and the server's REST
 * routes show the same answer from the same function.
 *
 * @param kind    {@code trace}, {@code check}, {@code reach} or {@code diff}
 * @param title   a heading for people, e.g. {@code reachability through sw1 (VRF ALL)}
 * @param subject what was analysed, for scripts: the policy, the flow, the device, the VRF, ...
 */
public record Analysis(String kind, String title, SequencedMap<String, String> subject, List<Table> tables, List<Note> notes) {
    public Analysis {
        subject = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(subject));
        tables = List.copyOf(tables);
        notes = List.copyOf(notes);
    }

    /** How a cell's value reads: its Java type, and how a renderer lays it out. */
    public enum Type {
        /** a String */
        TEXT,
        /** a Long */
        NUMBER,
        /** a Boolean */
        FLAG,
        /** a List of short Strings (names), read as one comma-separated value */
        LIST,
        /** a List of Strings, each a line of its own (sentences, a config diff) */
        LINES;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean admits(Object value) {
            return switch (this) {
                case TEXT -> value instanceof String;
                case NUMBER -> value instanceof Long;
                case FLAG -> value instanceof Boolean;
                case LIST, LINES -> value instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
            };
        }
    }

    /**
     * @param key    the row's field in JSON, e.g. {@code trafficPolicy}
     * @param title  the column heading for people, e.g. {@code traffic-policy}
     * @param detail long values a table shows below its row rather than in a column of its own
     */
    public record Column(String key, String title, Type type, boolean detail) {
        public static Column of(String key, String title, Type type) {
            return new Column(key, title, type, false);
        }

        /** The same column, shown below the row. */
        public Column below() {
            return new Column(key, title, type, true);
        }
    }

    /**
     * Rows of values in column order; a null value means "does not apply to this row" (a trace
     * the default decided has no rule).
     */
    public record Table(String name, String title, List<Column> columns, List<List<Object>> rows) {
        public Table {
            columns = List.copyOf(columns);
            List<List<Object>> copies = new ArrayList<>();
            for (List<Object> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("table " + name + ": a row of " + row.size() + " values for "
                            + columns.size() + " columns");
                }
                for (int i = 0; i < row.size(); i++) {
                    Object value = row.get(i);
                    if (value != null && !columns.get(i).type().admits(value)) {
                        throw new IllegalArgumentException("table " + name + ", column " + columns.get(i).key() + ": "
                                + value.getClass().getSimpleName() + " is not " + columns.get(i).type().keyword());
                    }
                }
                copies.add(Collections.unmodifiableList(new ArrayList<>(row)));
            }
            rows = List.copyOf(copies);
        }

        /** How many rows hold {@code value} under {@code key}. */
        public long count(String key, Object value) {
            int column = column(key);
            return rows.stream().filter(r -> value.equals(r.get(column))).count();
        }

        private int column(String key) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).key().equals(key)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("table " + name + " has no column " + key);
        }
    }

    /** A remark on the whole answer, e.g. a warning that the traced hosts bypass every enforcer. */
    public record Note(Level level, String text) {
    }

    /** The table named {@code name}. */
    public Table table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(kind + " has no table " + name));
    }

    /**
     * The answer as plain maps and lists, the JSON document both the CLI ({@code -o json}) and the
     * server write: rows are objects keyed by column key, so scripts read {@code rows[0].verdict}.
     */
    public Map<String, Object> tree() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kind", kind);
        root.put("title", title);
        root.put("subject", subject);
        root.put("tables", tables.stream().map(Analysis::tree).toList());
        root.put("notes", notes.stream().map(n -> ordered("level", n.level().keyword(), "text", n.text())).toList());
        return root;
    }

    private static Map<String, Object> tree(Table table) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", table.name());
        t.put("title", table.title());
        t.put("columns", table.columns().stream().map(c -> ordered("key", c.key(), "title", c.title(), "type", c.type().keyword(),
                "detail", c.detail())).toList());
        t.put("rows", table.rows().stream().map(row -> {
            Map<String, Object> r = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                r.put(table.columns().get(i).key(), row.get(i));
            }
            return r;
        }).toList());
        return t;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
