package dev.septum.model.load;

import dev.septum.model.SourceLocation;
import dev.septum.model.validate.Diagnostics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Files that are not valid YAML, kept as text: a name the rest of the policy refers to but that
 * appears in such a file is probably defined there, so its "no group is named ..." error would
 * only repeat the parse error. Such references go unreported, and one warning says so.
 */
final class UnparsedFiles {
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final Map<String, SourceLocation> errors = new LinkedHashMap<>();
    private final Map<String, Set<String>> explained = new LinkedHashMap<>();

    /** @param error where the parse error was reported; the warning goes right after it */
    void add(String file, String text, SourceLocation error) {
        texts.put(file, text);
        errors.put(file, error);
    }

    /** Whether the name appears as a whole word in a file that could not be parsed (and remembers where). */
    boolean mayDefine(String name) {
        Pattern word = Pattern.compile("(?<![\\w.-])" + Pattern.quote(name) + "(?![\\w.-])");
        boolean found = false;
        for (Map.Entry<String, String> file : texts.entrySet()) {
            if (word.matcher(file.getValue()).find()) {
                explained.computeIfAbsent(file.getKey(), f -> new TreeSet<>()).add(name);
                found = true;
            }
        }
        return found;
    }

    /** One warning per unparsed file whose names explained missing references. */
    void note(Diagnostics out) {
        explained.forEach((file, names) -> out.warning(errors.get(file), "file", "",
                "references to " + String.join(", ", names) + " were not checked: they may be defined in this file, "
                        + "which is not valid YAML",
                "fix this file's YAML first; its references are checked then"));
    }
}
