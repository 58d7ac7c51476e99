package dev.septum.deploy.nftables;

import dev.septum.deploy.Commands;
import java.time.Duration;
import java.util.List;

/** The ruleset both driver tests apply: a table counting pings on loopback, which {@code verdict} decides. */
final class PingTable {
    private static final Duration T = Duration.ofSeconds(20);

    private PingTable() {
    }

    static String script(String verdict) {
        return """
                table inet septum
                delete table inet septum
                table inet septum {
                    counter c_ping { comment "p/ping" }
                    chain input {
                        type filter hook input priority filter; policy accept;
                        icmp type echo-request counter name c_ping %s
                    }
                }
                """.formatted(verdict);
    }

    /** Whether one ping to loopback inside the namespace gets an answer. */
    static boolean pingPasses(String namespace) {
        return Commands.run(T, List.of("ip", "netns", "exec", namespace, "ping", "-c", "1", "-W", "1", "127.0.0.1")).ok();
    }
}
