package dev.septum.model.validate;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a name or description may contain. Names become EOS and nftables identifiers and
 * descriptions become {@code !!} comment lines, so neither may carry anything that could end a
 * CLI line or start a new one.
 */
public final class NameRules {
    public static final int MAX_NAME = 64;
    public static final int MAX_DESCRIPTION = 240;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private NameRules() {
    }

    /** Why the name is unusable, or empty when it is fine. */
    public static Optional<String> nameProblem(String name) {
        if (plainName(name)) {
            return Optional.empty();
        }
        if (name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("contains a control character (a newline could inject a CLI line)");
        }
        if (name.length() > MAX_NAME) {
            return Optional.of("is " + name.length() + " characters long; the limit is " + MAX_NAME);
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' has characters EOS and nftables reject; "
                    + "names start with a letter or digit and use only letters, digits, '_', '-' and '.'");
        }
        return Optional.empty();
    }

    /**
     * What {@link #NAME} matches, within {@link #MAX_NAME}, in one pass: a check of every name and
     * rule of a 10,000-rule policy, where a stream and a regular expression per name were a third
     * of the validation. Any other name goes the checks that say what is wrong.
     */
    private static boolean plainName(String name) {
        int length = name.length();
        if (length == 0 || length > MAX_NAME || !letterOrDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = name.charAt(i);
            if (!letterOrDigit(c) && c != '_' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** The longest Linux interface name (IFNAMSIZ less the terminating zero). */
    public static final int MAX_LINUX_INTERFACE = 15;
    private static final Pattern LINUX_INTERFACE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    /**
     * Why {@code name} cannot be a Linux interface name, or empty when it can. Narrower than the
     * kernel allows, because the name lands in nft rules and {@code ip} command lines.
     */
    public static Optional<String> linuxInterfaceProblem(String name) {
        if (name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.length() > MAX_LINUX_INTERFACE) {
            return Optional.of("'" + name.substring(0, MAX_LINUX_INTERFACE) + "...' is " + name.length()
                    + " characters long; a Linux interface name has at most " + MAX_LINUX_INTERFACE);
        }
        if (!LINUX_INTERFACE.matcher(name).matches()) {
            return Optional.of("'" + name.replaceAll("\\p{Cntrl}", "?") + "' is not a Linux interface name "
                    + "Septum accepts: letters, digits, '_', '-' and '.', not starting with '-' or '.'");
        }
        return Optional.empty();
    }

    /** Why the description is unusable, or empty when it is fine. */
    public static Optional<String> descriptionProblem(String text) {
        if (text.isEmpty()) { // most rules have none
            return Optional.empty();
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || c == 0x85)) {
            return Optional.of("contains a line break or control character, which would start a new CLI line");
        }
        if (text.length() > MAX_DESCRIPTION) {
            return Optional.of("is " + text.length() + " characters long; the limit is " + MAX_DESCRIPTION);
        }
        return Optional.empty();
    }
}
