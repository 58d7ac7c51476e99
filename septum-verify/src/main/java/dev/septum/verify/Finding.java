package dev.septum.verify;

import java.util.List;
import java.util.Optional;

/**
 * One result of {@code septum check}.
 *
 * @param kind    a stable keyword scripts can filter on, e.g. {@code shadowed}, {@code stateless-reverse}
 * @param where   the traffic-policy and VRF, or the object kind for model-wide findings
 * @param subject the EOS match (or object) the finding is about
 * @param related the matches that cause it, e.g. the earlier rules covering a shadowed one
 * @param example a concrete packet showing it
 */
public record Finding(Level level, String kind, String where, String subject, String message,
                      List<String> related, Optional<Flow> example) {
    public Finding {
        related = List.copyOf(related);
    }

    public String format() {
        return level.keyword() + " [" + kind + "] " + where + ": " + subject + ": " + message
                + example.map(f -> " (e.g. " + f + ")").orElse("");
    }
}
