package dev.septum.compile.plan;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Optional;

/** What a match does; every match also counts (as MSS renders it). */
public sealed interface MatchAction {
    record Forward() implements MatchAction {
    }

    record Drop() implements MatchAction {
    }

    /**
     * Next hops of the redirect object in the match's address family, and the Linux router's port
     * toward them (an nftables router needs it; EOS does not).
     */
    record Redirect(String redirectObject, List<IPAddress> nextHops, Optional<String> routerPort) implements MatchAction {
        public Redirect {
            nextHops = List.copyOf(nextHops);
        }
    }
}
