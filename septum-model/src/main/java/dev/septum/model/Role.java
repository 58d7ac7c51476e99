package dev.septum.model;

/** A switch (or Linux host/router/bridge) enforces policy; a monitor node receives mirrored traffic. */
public enum Role {
    SWITCH("switch"), MONITOR("monitor");

    private final String keyword;

    Role(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
