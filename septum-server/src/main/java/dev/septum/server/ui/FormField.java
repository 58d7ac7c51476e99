package dev.septum.server.ui;

import java.util.List;

/**
 * One input of an object form as the template shows it: its YAML key, how it is entered, the
 * choices of a picker, what the user entered (or the stored value) and the diagnostics about it.
 *
 * @param input text, list (comma separated), map (one "key: value" a line), select, multi (a
 *              multiple-choice picker) or check
 */
public record FormField(String key, String label, String input, String hint, List<String> options, String text,
                        List<String> selected, List<String> errors) {
    public boolean isSelected(String option) {
        return selected.contains(option);
    }
}
