package dev.septum.verify;

import java.util.Locale;

/** How much a finding matters: errors fail {@code septum check}, the rest inform. */
public enum Level {
    ERROR, WARNING, INFO;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
