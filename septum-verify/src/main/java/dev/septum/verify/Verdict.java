package dev.septum.verify;

import dev.septum.compile.plan.MatchAction;

/** What happens to a packet, comparable across versions of a policy. */
public record Verdict(String keyword) {
    public static final Verdict FORWARD = new Verdict("forward");
    public static final Verdict DROP = new Verdict("drop");

    public static Verdict of(MatchAction action) {
        return switch (action) {
            case MatchAction.Forward f -> FORWARD;
            case MatchAction.Drop d -> DROP;
            case MatchAction.Redirect r -> new Verdict("redirect to " + r.redirectObject());
        };
    }

    @Override
    public String toString() {
        return keyword;
    }
}
