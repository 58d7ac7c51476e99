package dev.septum.builder.recommend;

/**
 * A run that cannot start: the message names what is wrong and how to fix it, and {@link #field()}
 * the request's field at fault (as the REST body and the web form name it), or "" for none.
 */
public final class RecommendRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public RecommendRefused(String message) {
        this(message, "");
    }

    public RecommendRefused(String message, String field) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
