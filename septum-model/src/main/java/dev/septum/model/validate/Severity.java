package dev.septum.model.validate;

public enum Severity {
    ERROR, WARNING;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
