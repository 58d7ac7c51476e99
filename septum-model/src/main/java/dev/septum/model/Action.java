package dev.septum.model;

/** What a rule does with the traffic it matches. */
public sealed interface Action {

    record Forward() implements Action {
    }

    record Drop() implements Action {
    }

    /** Send matching traffic to the next hops of a redirect object (an external firewall). */
    record Redirect(Ref target) implements Action {
    }

    default String keyword() {
        return switch (this) {
            case Forward f -> "forward";
            case Drop d -> "drop";
            case Redirect r -> "redirect";
        };
    }
}
