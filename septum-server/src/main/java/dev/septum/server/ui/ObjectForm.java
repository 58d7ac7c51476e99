package dev.septum.server.ui;

import java.util.List;

/**
 * A form creating or editing one model object.
 *
 * @param editing the name of the object being edited; empty for a new one
 * @param errors   diagnostics that name no field of the form, in the CLI's words
 * @param revision the workspace revision the form was filled from; a save on a later one is refused
 */
public record ObjectForm(String kind, String singular, String action, String editing, List<FormField> fields, List<String> errors,
                         long revision) {
    public boolean isNew() {
        return editing.isEmpty();
    }
}
