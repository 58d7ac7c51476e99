package dev.septum.resolve;

import dev.septum.compile.pipeline.ResolutionSnapshot.Member;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@code push} group's members come from: the last list put for the group, as the JSON a
 * member file holds (addresses, or items with {@code address} and {@code categories}). Outside
 * the server nothing is ever pushed.
 */
@FunctionalInterface
public interface PushedMembers {
    /** Nothing pushed: only the server takes pushes. */
    PushedMembers NONE = group -> Optional.empty();

    /** The JSON list last pushed for {@code group}, if any. */
    Optional<String> json(String group);

    /**
     * Reads a pushed list as strictly as a member file; {@code label} names it in a failure
     * ({@code members item 3 field address: '10.0.0.300' is not ...}).
     */
    static List<Member> read(String json, String label) throws SourceFailure {
        return MemberFile.json(json.getBytes(StandardCharsets.UTF_8), label);
    }
}
