package dev.septum.model;

/** Unidirectional rules match requests only; bidirectional rules also match the replies. */
public enum Direction {
    UNI("uni"), BI("bi");

    private final String keyword;

    Direction(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
