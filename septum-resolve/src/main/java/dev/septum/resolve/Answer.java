package dev.septum.resolve;

import dev.septum.compile.pipeline.ResolutionSnapshot.Member;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one source answered.
 *
 * @param validFor how long the answer holds (a DNS TTL within the source's bounds); empty: the
 *                 source's own refresh interval
 */
record Answer(List<Member> members, Optional<Duration> validFor) {
    Answer {
        members = List.copyOf(members);
    }

    static Answer of(List<Member> members) {
        return new Answer(members, Optional.empty());
    }
}
