package dev.septum.builder.recommend;

/** A run that cannot start: the message names what is wrong and how to fix it. */
public final class RecommendRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecommendRefused(String message) {
        super(message);
    }
}
