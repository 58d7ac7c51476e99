package dev.septum.resolve;

import dev.septum.compile.pipeline.ResolutionSnapshot.Member;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where a {@code push} source's members wait: the server keeps what was last put for each group. */
@FunctionalInterface
public interface PushedMembers {
    Optional<Pushed> latest(String group);

    record Pushed(List<Member> members, Instant at) {
        public Pushed {
            members = List.copyOf(members);
        }
    }

    /** Outside the server nothing is pushed: a push group has never resolved. */
    PushedMembers NONE = group -> Optional.empty();
}
