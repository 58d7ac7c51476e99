package dev.septum.flows.decode;

import java.util.List;

/**
 * A (data or options) template as received. Options templates name their first
 * {@code scopeFieldCount} fields as scope (RFC 7011 §3.4.2.2); data templates have none.
 */
public record Template(int id, boolean options, int scopeFieldCount, List<FieldSpec> fields) {
    public Template {
        fields = List.copyOf(fields);
    }
}
