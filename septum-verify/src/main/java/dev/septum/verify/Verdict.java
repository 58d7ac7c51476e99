package dev.septum.verify;

import dev.septum.compile.plan.MatchAction;

/** What happens to a packet, comparable across versions of a policy. */
public record Verdict(String keyword) {
    public static final Verdict FORWARD = new Verdict("forward");
    public static final Verdict DROP = new Verdict("drop");
    private static final String REDIRECT = "redirect to ";

    public static Verdict of(MatchAction action) {
        return switch (action) {
            case MatchAction.Forward f -> FORWARD;
            case MatchAction.Drop d -> DROP;
            case MatchAction.Redirect r -> new Verdict(REDIRECT + r.redirectObject());
        };
    }

    /** The redirect object the packet is sent to, when the verdict is a redirect. */
    public java.util.Optional<String> redirectTarget() {
        return keyword.startsWith(REDIRECT) ? java.util.Optional.of(keyword.substring(REDIRECT.length()))
                : java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return keyword;
    }
}
