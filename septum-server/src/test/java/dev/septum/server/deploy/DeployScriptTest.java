package dev.septum.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployScriptTest {
    /**
     * The read-back expects what {@code NftablesDriver.counters} reports: named counters in order,
     * then the owners of region-map elements by name, once each; a comment line (a rule's
     * description) that looks like an element counts for nothing.
     */
    @Test
    void countersAreTheNamedOnesThenTheOwnersOfMapElements() {
        String script = """
                table inet septum
                delete table inet septum
                table inet septum {
                    counter c_rest { comment "p/rest" }
                    map v_ALL_1_ipv4 {
                        type ipv4_addr . ipv4_addr . inet_proto . inet_service : verdict
                        flags interval
                        counter
                        elements = {
                            192.0.2.0/28 . 203.0.113.10/31 . tcp . 80 comment "c_web p/web" : accept,
                            198.51.100.0/24 . 0.0.0.0/0 . tcp . 80 comment "c_deny p/deny" : drop,
                            192.0.2.0/28 . 203.0.113.10/31 . tcp . 443 comment "c_web p/web" : accept
                        }
                    }
                    chain policy_ALL {
                        # rest: x comment "c_evil p/x" : drop
                        ip saddr . ip daddr . meta l4proto . th dport vmap @v_ALL_1_ipv4
                        ip saddr @g_clients counter name c_rest drop
                    }
                }
                """;

        assertThat(DeployScript.counters(script)).isEqualTo(Map.of("inet", List.of("c_rest", "c_deny", "c_web")));
    }
}
