package dev.septum.server.ui;

import java.util.List;

/**
 * A form creating or editing one model object.
 *
 * @param editing the name of the object being edited; empty for a new one
 * @param errors  diagnostics that name no field of the form, in the CLI's words
 */
public record ObjectForm(String kind, String singular, String action, String editing, List<FormField> fields, List<String> errors) {
    public boolean isNew() {
        return editing.isEmpty();
    }
}
